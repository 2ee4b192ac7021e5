import numpy as np


def column_stats(x):
    wide = x.astype(np.float64)
    mean = wide.mean(axis=0)
    return mean.astype(x.dtype), ((wide * wide).mean(axis=0) - mean * mean).astype(x.dtype)
