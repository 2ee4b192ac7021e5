"""Reference solution for ema-convention."""


def ema_update(running, batch_value, momentum, convention):
    """PyTorch weights the new value by momentum; Keras and cs231n weight the old value by it."""
    new_weight = momentum if convention == "pytorch" else 1.0 - momentum
    return (1.0 - new_weight) * running + new_weight * batch_value
