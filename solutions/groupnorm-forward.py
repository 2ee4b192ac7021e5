"""Reference solution for groupnorm-forward."""

import numpy as np


def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    """Statistics per (sample, group of contiguous channels) over the group's channels and space."""
    n = x.shape[0]
    grouped = x.reshape(n, num_groups, -1)                  # (N, G, C/G * prod(spatial))
    mean = grouped.mean(axis=2, keepdims=True)
    centered = grouped - mean
    var = (centered * centered).mean(axis=2, keepdims=True)
    normalized = (centered / np.sqrt(var + eps)).reshape(x.shape)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return normalized * gamma.reshape(shape) + beta.reshape(shape)
