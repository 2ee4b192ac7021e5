"""Reference solution for stable-variance."""

import numpy as np


def column_stats(x):
    """Two passes: the mean first, then the mean of squared deviations from it."""
    mean = x.mean(axis=0)
    deviation = x - mean                          # small numbers: no cancellation
    return mean, (deviation * deviation).mean(axis=0)
