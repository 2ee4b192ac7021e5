"""Drill bn-cumulative: BatchNorm training with momentum=None (a cumulative average).

Write batchnorm_train_step(x, gamma, beta, state) -> (out, state)
  state: {"running_mean", "running_var": (C,) arrays, "momentum": None, "eps": float,
          "num_batches_tracked": int}
  With momentum None, PyTorch counts batches and makes running_mean/var the plain
  average of all batch statistics seen (running_var of the unbiased batch variances).
  Must match nn.BatchNorm1d/2d(C, momentum=None) after every step, also when resuming
  from a state that has already tracked some batches.
Check with:  normquiz check bn-cumulative
"""

import numpy as np


def batchnorm_train_step(x, gamma, beta, state):
    raise NotImplementedError("batchnorm_train_step is not written yet")
