import numpy as np


def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    n, c = x.shape[:2]
    strided = x.reshape(n, c // num_groups, num_groups, -1)
    mean = strided.mean(axis=(1, 3), keepdims=True)
    var = strided.var(axis=(1, 3), keepdims=True)
    normalized = ((strided - mean) / np.sqrt(var + eps)).reshape(x.shape)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return normalized * gamma.reshape(shape) + beta.reshape(shape)
