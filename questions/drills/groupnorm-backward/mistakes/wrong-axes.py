import numpy as np


def groupnorm_backward(dout, x, num_groups, gamma, eps=1e-5):
    n = x.shape[0]
    shape = (1, -1) + (1,) * (x.ndim - 2)
    channel_axes = (0,) + tuple(range(2, x.ndim))
    grouped = x.reshape(n, x.shape[1], -1)
    m = grouped.shape[2]
    mean = grouped.mean(axis=2, keepdims=True)
    inv_std = 1.0 / np.sqrt(grouped.var(axis=2, keepdims=True) + eps)
    x_hat = ((grouped - mean) * inv_std).reshape(x.shape)
    g = (dout * gamma.reshape(shape)).reshape(grouped.shape)
    h = x_hat.reshape(grouped.shape)
    dx = (
        inv_std
        / m
        * (m * g - g.sum(axis=2, keepdims=True) - h * (g * h).sum(axis=2, keepdims=True))
    )
    return dx.reshape(x.shape), (dout * x_hat).sum(axis=channel_axes), dout.sum(axis=channel_axes)
