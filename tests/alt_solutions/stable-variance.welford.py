import numpy as np


def column_stats(x):
    # Welford's online algorithm, one row at a time
    mean = np.zeros(x.shape[1])
    m2 = np.zeros(x.shape[1])
    for count, row in enumerate(x.astype(np.float64), start=1):
        delta = row - mean
        mean += delta / count
        m2 += delta * (row - mean)
    return mean, m2 / x.shape[0]
