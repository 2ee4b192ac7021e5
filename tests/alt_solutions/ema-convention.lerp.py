def ema_update(running, batch_value, momentum, convention):
    keep = {"pytorch": 1.0 - momentum, "keras": momentum}[convention]   # weight of the old value
    return running + (1.0 - keep) * (batch_value - running)
