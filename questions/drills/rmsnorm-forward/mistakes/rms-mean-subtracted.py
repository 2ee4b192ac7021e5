import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    axes = tuple(range(x.ndim - weight.ndim, x.ndim))
    centered = x - x.mean(axis=axes, keepdims=True)
    return centered / np.sqrt((centered * centered).mean(axis=axes, keepdims=True) + eps) * weight
