"""Reference solution for weight-standardization."""

import numpy as np


def weight_standardization(weight, eps=1e-5):
    """One mean and variance per output channel, over its input channels and kernel."""
    axes = tuple(range(1, weight.ndim))
    mean = weight.mean(axis=axes, keepdims=True)
    centered = weight - mean
    return centered / np.sqrt((centered * centered).mean(axis=axes, keepdims=True) + eps)
