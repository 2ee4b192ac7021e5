"""Reference solution for linear-bn-fold."""

import numpy as np


def fold_linear_bn(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5):
    """bn(W x + b) = s * (W x + b - mean) + beta with s = gamma / sqrt(var + eps)."""
    scale = gamma / np.sqrt(running_var + eps)          # one factor per output feature
    if bias is None:
        bias = np.zeros_like(running_mean)
    return weight * scale[:, None], (bias - running_mean) * scale + beta
