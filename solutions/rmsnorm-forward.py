"""Reference solution for rmsnorm-forward."""

import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    """x / sqrt(mean(x^2) + eps) * weight over the trailing weight.ndim axes."""
    axes = tuple(range(x.ndim - weight.ndim, x.ndim))
    mean_square = (x * x).mean(axis=axes, keepdims=True)
    return x / np.sqrt(mean_square + eps) * weight
