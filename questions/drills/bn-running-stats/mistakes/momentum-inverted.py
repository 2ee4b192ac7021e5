import numpy as np


def batchnorm_train_step(x, gamma, beta, state):
    axes = tuple(i for i in range(x.ndim) if i != 1)
    shape = [1] * x.ndim
    shape[1] = -1
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    out = gamma.reshape(shape) * (x - mean.reshape(shape)) / np.sqrt(
        var.reshape(shape) + state["eps"]
    ) + beta.reshape(shape)
    m, n = state["momentum"], x.size // x.shape[1]
    state["running_mean"] = m * state["running_mean"] + (1 - m) * mean
    state["running_var"] = m * state["running_var"] + (1 - m) * var * n / (n - 1)
    return out, state
