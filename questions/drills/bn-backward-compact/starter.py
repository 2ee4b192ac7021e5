"""Drill bn-backward-compact: BatchNorm's backward pass with the compact formula, with numpy.

Write batchnorm_backward_alt(dout, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)
  x, dout: (N, C) or (N, C, *spatial); gamma: (C,)
  The forward pass was training-mode BatchNorm (batch statistics, biased variance):
  out = gamma * (x - mean) / sqrt(var + eps) + beta
  Return the gradients of the loss with respect to x, gamma and beta.
  No autograd and no normalization built-ins.
Check with:  normquiz check bn-backward-compact
"""

import numpy as np


def batchnorm_backward_alt(dout, x, gamma, eps=1e-5):
    raise NotImplementedError("batchnorm_backward_alt is not written yet")
