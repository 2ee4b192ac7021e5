def ema_update(running, batch_value, momentum, convention):
    return (1.0 - momentum) * running + momentum * batch_value
