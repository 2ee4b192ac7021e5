"""Reference solution for layernorm-backward."""

import numpy as np


def layernorm_backward(dout, x, gamma, eps=1e-5):
    """Like BatchNorm's backward, with the roles of the axes swapped."""
    norm_axes = tuple(range(x.ndim - gamma.ndim, x.ndim))   # statistics were taken here
    batch_axes = tuple(range(x.ndim - gamma.ndim))          # gamma and beta were shared here
    d = gamma.size
    mean = x.mean(axis=norm_axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(((x - mean) ** 2).mean(axis=norm_axes, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    dgamma = (dout * x_hat).sum(axis=batch_axes)
    dbeta = dout.sum(axis=batch_axes)
    g = dout * gamma
    dx = inv_std / d * (d * g - g.sum(axis=norm_axes, keepdims=True)
                        - x_hat * (g * x_hat).sum(axis=norm_axes, keepdims=True))
    return dx, dgamma, dbeta
