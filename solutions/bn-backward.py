"""Reference solution for bn-backward: backpropagate through each step of the forward pass."""

import numpy as np


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))           # reduced axes: all but channels
    shape = (1, -1) + (1,) * (x.ndim - 2)
    m = x.size // x.shape[1]                          # values per channel
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    var = (centered ** 2).mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = centered * inv_std

    dbeta = dout.sum(axis=axes)
    dgamma = (dout * x_hat).sum(axis=axes)
    dx_hat = dout * gamma.reshape(shape)
    dvar = (dx_hat * centered).sum(axis=axes, keepdims=True) * -0.5 * inv_std ** 3
    dmean = -(dx_hat * inv_std).sum(axis=axes, keepdims=True) \
        + dvar * (-2.0 * centered).sum(axis=axes, keepdims=True) / m
    dx = dx_hat * inv_std + dvar * 2.0 * centered / m + dmean / m
    return dx, dgamma, dbeta
