import numpy as np


def layernorm_backward(dout, x, gamma, eps=1e-5):
    d = gamma.size
    xs, gs = x.reshape(-1, d).astype(np.float64), dout.reshape(-1, d).astype(np.float64)
    w = gamma.reshape(-1)
    dx = np.empty_like(xs)
    dgamma = np.zeros(d)
    dbeta = np.zeros(d)
    for i in range(xs.shape[0]):
        mu = xs[i].mean()
        sigma = np.sqrt(((xs[i] - mu) ** 2).mean() + eps)
        xh = (xs[i] - mu) / sigma
        dgamma += gs[i] * xh
        dbeta += gs[i]
        g = gs[i] * w
        dx[i] = (g - g.mean() - xh * (g * xh).mean()) / sigma
    return dx.reshape(x.shape), dgamma.reshape(gamma.shape), dbeta.reshape(gamma.shape)
