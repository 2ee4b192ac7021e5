import numpy as np


def syncbn_stats(counts, means, variances):
    # combine raw moments: sum of x and sum of x^2 per device
    n = counts.astype(np.float64)[:, None]
    total = float(n.sum())
    sum_x = (n * means).sum(axis=0)
    sum_x2 = (n * (variances + means ** 2)).sum(axis=0)
    mean = sum_x / total
    return mean, (sum_x2 - total * mean ** 2) / (total - 1)
