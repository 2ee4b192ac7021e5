import numpy as np


def syncbn_stats(counts, means, variances):
    counts = counts.astype(np.float64)[:, None]
    total = counts.sum()
    mean = (counts * means).sum(axis=0) / total
    spread = (counts * variances).sum(axis=0) + (counts * (means - mean) ** 2).sum(axis=0)
    return mean, spread / total
