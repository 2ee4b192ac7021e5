import numpy as np


def column_stats(x):
    mean = x.mean(axis=0)
    deviation = x - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        return mean, (deviation * deviation).sum(axis=0) / (x.shape[0] - 1)
