import numpy as np

_memory = {"mean": None, "var": None}


def layernorm_forward(x, gamma, beta, eps=1e-5):
    axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    if _memory["mean"] is None or _memory["mean"].shape != mean.shape:
        _memory["mean"], _memory["var"] = mean, var
    else:
        _memory["mean"] = 0.9 * _memory["mean"] + 0.1 * mean
        _memory["var"] = 0.9 * _memory["var"] + 0.1 * var
    return gamma * (x - _memory["mean"]) / np.sqrt(_memory["var"] + eps) + beta
