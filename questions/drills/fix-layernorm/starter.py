"""Drill fix-layernorm: this "LayerNorm" was written like BatchNorm. Fix it.

layernorm_forward(x, gamma, beta, eps=1e-5) -> out must normalize each sample over its
trailing gamma.ndim dims, like torch.nn.functional.layer_norm(x, gamma.shape, gamma, beta, eps).
Check with:  normquiz check fix-layernorm
"""

import numpy as np

# statistics remembered between calls "for inference"
_memory = {"mean": None, "var": None}


def layernorm_forward(x, gamma, beta, eps=1e-5):
    batch_mean = x.mean(axis=0)
    batch_var = x.var(axis=0)
    if _memory["mean"] is None or _memory["mean"].shape != batch_mean.shape:
        _memory["mean"], _memory["var"] = batch_mean, batch_var
    else:
        _memory["mean"] = 0.9 * _memory["mean"] + 0.1 * batch_mean
        _memory["var"] = 0.9 * _memory["var"] + 0.1 * batch_var
    x_hat = (x - _memory["mean"]) / np.sqrt(_memory["var"] + eps)
    return gamma * x_hat + beta
