"""Reference solution for syncbn-stats."""

import numpy as np


def syncbn_stats(counts, means, variances):
    """Weight each device by its count; add the spread of device means to the spread within."""
    counts = counts.astype(np.float64)[:, None]
    total = counts.sum()
    mean = (counts * means).sum(axis=0) / total
    within = (counts * variances).sum(axis=0)                 # sum of squared deviations on devices
    between = (counts * (means - mean) ** 2).sum(axis=0)      # devices' means around the global mean
    return mean, (within + between) / (total - 1)             # unbiased
