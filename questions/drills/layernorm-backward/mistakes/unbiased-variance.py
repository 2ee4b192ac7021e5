import numpy as np


def layernorm_backward(dout, x, gamma, eps=1e-5):
    norm_axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
    batch_axes = tuple(range(x.ndim - gamma.ndim))
    d = gamma.size
    mean = x.mean(axis=norm_axes, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_std = 1.0 / np.sqrt(x.var(axis=norm_axes, ddof=1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    g = dout * gamma
    dx = (
        inv_std
        / d
        * (
            d * g
            - g.sum(axis=norm_axes, keepdims=True)
            - x_hat * (g * x_hat).sum(axis=norm_axes, keepdims=True)
        )
    )
    return dx, (dout * x_hat).sum(axis=batch_axes), dout.sum(axis=batch_axes)
