import numpy as np


def batchnorm_backward_alt(dout, x, gamma, eps=1e-5):
    xs = np.moveaxis(x, 1, -1)                # channels last
    gs = np.moveaxis(dout, 1, -1)
    flat_x = xs.reshape(-1, x.shape[1])
    flat_g = gs.reshape(-1, x.shape[1])
    mu = flat_x.mean(axis=0)
    std = np.sqrt(flat_x.var(axis=0) + eps)
    xh = (flat_x - mu) / std
    dbeta = flat_g.sum(axis=0)
    dgamma = (flat_g * xh).sum(axis=0)
    n = flat_x.shape[0]
    dx = gamma / (n * std) * (n * flat_g - dbeta - xh * dgamma)
    return np.moveaxis(dx.reshape(xs.shape), -1, 1), dgamma, dbeta
