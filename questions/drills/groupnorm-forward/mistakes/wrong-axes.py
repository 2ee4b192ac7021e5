import numpy as np


def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    n, c = x.shape[:2]
    flat = x.reshape(n, c, -1)
    mean = flat.mean(axis=2, keepdims=True)
    var = flat.var(axis=2, keepdims=True)
    normalized = ((flat - mean) / np.sqrt(var + eps)).reshape(x.shape)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return normalized * gamma.reshape(shape) + beta.reshape(shape)
