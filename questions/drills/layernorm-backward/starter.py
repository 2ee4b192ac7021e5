"""Drill layernorm-backward: LayerNorm's backward pass, with numpy.

Write layernorm_backward(dout, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)
  The forward pass normalized each sample over the trailing gamma.ndim dims:
  out = gamma * (x - mean) / sqrt(var + eps) + beta   (biased variance, gamma elementwise)
  dgamma and dbeta have the shape of gamma. No autograd, no normalization built-ins.
Check with:  normquiz check layernorm-backward
"""

import numpy as np


def layernorm_backward(dout, x, gamma, eps=1e-5):
    raise NotImplementedError("layernorm_backward is not written yet")
