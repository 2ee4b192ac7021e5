"""Drill bn-module: BatchNorm2d as a torch.nn.Module, written by hand.

Write class BatchNorm2d(torch.nn.Module) with __init__(self, num_features, eps=1e-5, momentum=0.1)
  - parameters weight (ones) and bias (zeros); buffers running_mean (zeros), running_var (ones)
    and num_batches_tracked (a long tensor, 0), so that state_dict() has exactly the keys
    weight, bias, running_mean, running_var, num_batches_tracked
  - training: batch statistics, running stats updated (momentum None: cumulative average)
  - eval: running statistics
  Gradients come from autograd; do not use torch's BatchNorm or F.batch_norm.
Check with:  normquiz check bn-module
"""

import torch
from torch import nn


class BatchNorm2d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        raise NotImplementedError("BatchNorm2d is not written yet")

    def forward(self, x):
        raise NotImplementedError
