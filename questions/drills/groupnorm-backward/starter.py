"""Drill groupnorm-backward: GroupNorm's backward pass, with numpy.

Write groupnorm_backward(dout, x, num_groups, gamma, eps=1e-5) -> (dx, dgamma, dbeta)
  The forward pass was GroupNorm on x (N, C, *spatial): statistics per (sample, group of
  consecutive channels), then gamma and beta per channel, shape (C,).
  No autograd, no normalization built-ins.
Check with:  normquiz check groupnorm-backward
"""

import numpy as np


def groupnorm_backward(dout, x, num_groups, gamma, eps=1e-5):
    raise NotImplementedError("groupnorm_backward is not written yet")
