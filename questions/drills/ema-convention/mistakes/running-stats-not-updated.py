def ema_update(running, batch_value, momentum, convention):
    return running.copy()
