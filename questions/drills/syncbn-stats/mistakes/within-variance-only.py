import numpy as np


def syncbn_stats(counts, means, variances):
    counts = counts.astype(np.float64)[:, None]
    total = counts.sum()
    mean = (counts * means).sum(axis=0) / total
    return mean, (counts * variances).sum(axis=0) / (total - 1)
