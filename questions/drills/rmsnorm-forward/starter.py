"""Drill rmsnorm-forward: RMSNorm's forward pass, with numpy.

Write rmsnorm_forward(x, weight, eps=1e-6) -> out
  Over the trailing weight.ndim dims of each sample: divide by the root mean square
  sqrt(mean(x**2) + eps), then multiply by weight elementwise. No mean is subtracted and
  there is no bias. No normalization built-ins.
Check with:  normquiz check rmsnorm-forward
"""

import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    raise NotImplementedError("rmsnorm_forward is not written yet")
