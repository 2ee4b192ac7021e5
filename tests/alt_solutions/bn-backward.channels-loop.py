import numpy as np


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    dx = np.empty_like(x, dtype=np.float64)
    dgamma = np.empty(x.shape[1])
    dbeta = np.empty(x.shape[1])
    for c in range(x.shape[1]):
        xc, gc = x[:, c].ravel().astype(np.float64), dout[:, c].ravel().astype(np.float64)
        mu = xc.mean()
        sigma = np.sqrt(((xc - mu) ** 2).mean() + eps)
        xh = (xc - mu) / sigma
        dbeta[c], dgamma[c] = gc.sum(), (gc * xh).sum()
        g = gc * gamma[c]
        dx[:, c] = ((g - g.mean() - xh * (g * xh).mean()) / sigma).reshape(x[:, c].shape)
    return dx, dgamma, dbeta
