"""Reference solution for bn-forward."""

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Training-mode BatchNorm: one mean and variance per channel, over all other axes."""
    axes = (0,) + tuple(range(2, x.ndim))        # every axis except the channel axis 1
    shape = (1, -1) + (1,) * (x.ndim - 2)        # broadcast (C,) over (N, C, *spatial)
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=axes, keepdims=True)  # biased, two-pass
    x_hat = centered / np.sqrt(var + eps)        # eps once, inside the square root
    return gamma.reshape(shape) * x_hat + beta.reshape(shape)
