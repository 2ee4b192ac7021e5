import numpy as np


def groupnorm_backward(dout, x, num_groups, gamma, eps=1e-5):
    dx = np.empty_like(x, dtype=np.float64)
    x_hat = np.empty_like(x, dtype=np.float64)
    size = x.shape[1] // num_groups
    for n in range(x.shape[0]):
        for g in range(num_groups):
            block = slice(g * size, (g + 1) * size)
            xs = x[n, block].astype(np.float64)
            mu, sigma = xs.mean(), np.sqrt(xs.var() + eps)
            xh = (xs - mu) / sigma
            x_hat[n, block] = xh
            w = gamma[block].reshape((-1,) + (1,) * (xs.ndim - 1))
            up = dout[n, block] * w
            dx[n, block] = (up - up.mean() - xh * (up * xh).mean()) / sigma
    axes = (0,) + tuple(range(2, x.ndim))
    return dx, (dout * x_hat).sum(axis=axes), dout.sum(axis=axes)
