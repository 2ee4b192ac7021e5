import numpy as np


def batchnorm_train_step(x, gamma, beta, state):
    axes = tuple(i for i in range(x.ndim) if i != 1)
    shape = [1] * x.ndim
    shape[1] = -1
    count = x.size // x.shape[1]
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    out = gamma.reshape(shape) * (x - mean.reshape(shape)) / np.sqrt(
        var.reshape(shape) + state["eps"]
    ) + beta.reshape(shape)
    factor = 1.0 / (state["num_batches_tracked"] + 2)
    state["num_batches_tracked"] += 1
    state["running_mean"] = (1 - factor) * state["running_mean"] + factor * mean
    state["running_var"] = (1 - factor) * state["running_var"] + factor * var * count / (count - 1)
    return out, state
