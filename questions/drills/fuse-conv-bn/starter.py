"""Drill fuse-conv-bn: fold an eval-mode BatchNorm2d into the Conv2d before it, with torch.

Write fuse_conv_bn(conv, bn) -> torch.nn.Conv2d
  conv: a torch.nn.Conv2d, with or without bias, possibly with groups > 1
  bn:   a torch.nn.BatchNorm2d in eval mode (running statistics)
  Return one Conv2d that computes bn(conv(x)) at inference. Do not use
  torch.nn.utils.fusion.
Check with:  normquiz check fuse-conv-bn
"""

import torch


def fuse_conv_bn(conv, bn):
    raise NotImplementedError("fuse_conv_bn is not written yet")
