"""Reference solution for groupnorm-backward."""

import numpy as np


def groupnorm_backward(dout, x, num_groups, gamma, eps=1e-5):
    """The LayerNorm-style backward inside each (sample, group); gamma's grads per channel."""
    n = x.shape[0]
    shape = (1, -1) + (1,) * (x.ndim - 2)
    channel_axes = (0,) + tuple(range(2, x.ndim))
    grouped = x.reshape(n, num_groups, -1)
    m = grouped.shape[2]                                   # values per group
    mean = grouped.mean(axis=2, keepdims=True)
    inv_std = 1.0 / np.sqrt(((grouped - mean) ** 2).mean(axis=2, keepdims=True) + eps)
    x_hat = ((grouped - mean) * inv_std).reshape(x.shape)
    dgamma = (dout * x_hat).sum(axis=channel_axes)
    dbeta = dout.sum(axis=channel_axes)
    g = (dout * gamma.reshape(shape)).reshape(n, num_groups, -1)
    h = x_hat.reshape(n, num_groups, -1)
    dx = inv_std / m * (m * g - g.sum(axis=2, keepdims=True) - h * (g * h).sum(axis=2, keepdims=True))
    return dx.reshape(x.shape), dgamma, dbeta
