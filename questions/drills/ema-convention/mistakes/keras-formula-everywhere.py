def ema_update(running, batch_value, momentum, convention):
    return momentum * running + (1 - momentum) * batch_value
