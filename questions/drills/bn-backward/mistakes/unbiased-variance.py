import numpy as np


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    m = x.size // x.shape[1]
    mean = x.mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(x.var(axis=axes, ddof=1, keepdims=True) + eps)
    x_hat = (x - mean) * inv_std
    dbeta = dout.sum(axis=axes)
    dgamma = (dout * x_hat).sum(axis=axes)
    dx = (gamma.reshape(shape) * inv_std / m) * (
        m * dout - dbeta.reshape(shape) - x_hat * dgamma.reshape(shape)
    )
    return dx, dgamma, dbeta


batchnorm_backward_alt = batchnorm_backward  # the same mistake in drill bn-backward-compact
