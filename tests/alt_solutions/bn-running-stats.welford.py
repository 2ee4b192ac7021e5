import numpy as np


def batchnorm_train_step(x, gamma, beta, state):
    c = x.shape[1]
    per_channel = np.moveaxis(x, 1, 0).reshape(c, -1)      # (C, values)
    n = per_channel.shape[1]
    mean = per_channel.mean(axis=1)
    biased = ((per_channel - mean[:, None]) ** 2).sum(axis=1) / n
    x_hat = (per_channel - mean[:, None]) / np.sqrt(biased + state["eps"])[:, None]
    y = gamma[:, None] * x_hat + beta[:, None]
    out = np.moveaxis(y.reshape((c, x.shape[0]) + x.shape[2:]), 0, 1)
    m = state["momentum"]
    state["running_mean"] = state["running_mean"] * (1 - m) + mean * m
    state["running_var"] = state["running_var"] * (1 - m) + biased * (n / (n - 1)) * m
    return out, state
