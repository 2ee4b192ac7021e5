"""Reference solution for bn-running-stats."""

import numpy as np


def batchnorm_train_step(x, gamma, beta, state):
    """One training step: normalize with the batch, then update the running statistics."""
    axes = tuple(i for i in range(x.ndim) if i != 1)
    shape = [1] * x.ndim
    shape[1] = -1
    count = x.size // x.shape[1]                     # values per channel
    mean = x.mean(axis=axes)
    var = x.var(axis=axes)                           # biased: used to normalize
    x_hat = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + state["eps"])
    out = gamma.reshape(shape) * x_hat + beta.reshape(shape)
    momentum = state["momentum"]                     # PyTorch: weight of the new batch
    state["running_mean"] = (1 - momentum) * state["running_mean"] + momentum * mean
    unbiased = var * count / (count - 1)             # PyTorch stores the unbiased variance
    state["running_var"] = (1 - momentum) * state["running_var"] + momentum * unbiased
    return out, state
