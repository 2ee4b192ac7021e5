"""Drill weight-standardization: standardize each output channel's weights (used with GN).

Write weight_standardization(weight, eps=1e-5) -> standardized
  weight: (out, in, *kernel) for a conv, or (out, in) for a linear layer.
  Each output channel's filter (all its in * kernel values) gets zero mean and unit
  (biased) variance: (w - mean) / sqrt(var + eps).
Check with:  normquiz check weight-standardization
"""

import numpy as np


def weight_standardization(weight, eps=1e-5):
    raise NotImplementedError("weight_standardization is not written yet")
