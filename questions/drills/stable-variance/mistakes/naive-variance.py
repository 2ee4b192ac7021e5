import numpy as np


def column_stats(x):
    mean = x.mean(axis=0)
    return mean, (x * x).mean(axis=0) - mean * mean
