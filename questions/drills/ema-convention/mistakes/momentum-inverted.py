def ema_update(running, batch_value, momentum, convention):
    new_weight = 1.0 - momentum if convention == "pytorch" else momentum
    return (1.0 - new_weight) * running + new_weight * batch_value
