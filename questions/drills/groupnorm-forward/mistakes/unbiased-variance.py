import numpy as np


def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    grouped = x.reshape(x.shape[0], num_groups, -1)
    mean = grouped.mean(axis=2, keepdims=True)
    var = grouped.var(axis=2, ddof=1, keepdims=True)
    normalized = ((grouped - mean) / np.sqrt(var + eps)).reshape(x.shape)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return normalized * gamma.reshape(shape) + beta.reshape(shape)
