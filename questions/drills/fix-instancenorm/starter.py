"""Drill fix-instancenorm: this InstanceNorm reduces over the wrong axes. Fix it.

instancenorm_forward(x, eps=1e-5) -> out, for x of shape (N, C, *spatial) with any
spatial sizes, must match torch.nn.functional.instance_norm(x, eps=eps).
Check with:  normquiz check fix-instancenorm
"""

import numpy as np


def instancenorm_forward(x, eps=1e-5):
    size = x.shape[-1]
    out = np.zeros_like(x)
    for n in range(x.shape[0]):
        image = x[n].reshape(-1, size, size)
        mean = image.mean(axis=(0, 1), keepdims=True)
        var = image.var(axis=(0, 1), keepdims=True)
        out[n] = ((image - mean) / np.sqrt(var + eps)).reshape(x[n].shape)
    return out
