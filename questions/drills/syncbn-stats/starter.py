"""Drill syncbn-stats: combine per-device BatchNorm statistics, as SyncBN does.

Write syncbn_stats(counts, means, variances) -> (mean, var)
  counts: (K,) values per channel on each of K devices (unequal sizes)
  means, variances: (K, C) each device's mean and biased variance per channel
  mean: (C,) the mean over all devices' values; var: (C,) their unbiased variance
  (as if all the data had been on one device).
Check with:  normquiz check syncbn-stats
"""

import numpy as np


def syncbn_stats(counts, means, variances):
    raise NotImplementedError("syncbn_stats is not written yet")
