"""Drill fix-groupnorm: this GroupNorm groups the wrong thing. Fix it.

groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5) -> out, for x of shape
(N, C, *spatial) (possibly no spatial dims), must match
torch.nn.functional.group_norm(x, num_groups, gamma, beta, eps).
Check with:  normquiz check fix-groupnorm
"""

import numpy as np


def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    n, c, h, w = x.shape
    pieces = x.reshape(n, c, num_groups, (h * w) // num_groups)
    mean = pieces.mean(axis=(1, 3), keepdims=True)
    var = pieces.var(axis=(1, 3), keepdims=True)
    x_hat = ((pieces - mean) / np.sqrt(var + eps)).reshape(n, c, h, w)
    return x_hat * gamma.reshape(1, c, 1, 1) + beta.reshape(1, c, 1, 1)
