"""Drill stable-variance: per-column mean and variance that survive data far from zero.

Write column_stats(x) -> (mean, var)
  x: (N, C), float32 or float64; mean and the biased variance (divide by N) of each column.
  It must stay accurate for data like 1e4 + randn: E[x^2] - E[x]^2 does not (in float32
  not at all, in float64 only to about 6 digits).
  No np.var, no torch.var (write the computation).
Check with:  normquiz check stable-variance
"""

import numpy as np


def column_stats(x):
    raise NotImplementedError("column_stats is not written yet")
