"""Drill bn-backward: BatchNorm's backward pass step by step through the graph, with numpy.

Write batchnorm_backward(dout, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)
  x, dout: (N, C) or (N, C, *spatial); gamma: (C,)
  The forward pass was training-mode BatchNorm (batch statistics, biased variance):
  out = gamma * (x - mean) / sqrt(var + eps) + beta
  Return the gradients of the loss with respect to x, gamma and beta.
  No autograd and no normalization built-ins.
Check with:  normquiz check bn-backward
"""

import numpy as np


def batchnorm_backward(dout, x, gamma, eps=1e-5):
    raise NotImplementedError("batchnorm_backward is not written yet")
