import numpy as np


def weight_standardization(weight, eps=1e-5):
    axes = tuple(range(1, weight.ndim))
    mean = weight.mean(axis=axes, keepdims=True)
    return (weight - mean) / np.sqrt(weight.var(axis=axes, ddof=1, keepdims=True) + eps)
