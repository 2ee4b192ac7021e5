"""Drill bn-running-stats: fix this training step so it matches PyTorch's BatchNorm.

batchnorm_train_step(x, gamma, beta, state) -> (out, state)
  x: (N, C) or (N, C, *spatial); gamma, beta: (C,)
  state: {"running_mean": (C,), "running_var": (C,), "momentum": float, "eps": float}
  momentum follows PyTorch: it is the weight of the NEW batch (default 0.1).
The output, running_mean and running_var must match nn.BatchNorm1d/2d after every step.
This code runs, but it has several bugs. Check with:  normquiz check bn-running-stats
"""

import numpy as np


def batchnorm_train_step(x, gamma, beta, state):
    reduce_axes = tuple(i for i in range(x.ndim) if i != 1)
    per_channel = [1] * x.ndim
    per_channel[1] = x.shape[1]

    batch_mean = np.mean(x, axis=reduce_axes)
    batch_var = np.var(x, axis=reduce_axes)
    x_hat = (x - batch_mean.reshape(per_channel)) / np.sqrt(
        batch_var.reshape(per_channel) + state["eps"]
    )
    out = gamma.reshape(per_channel) * x_hat + beta.reshape(per_channel)

    # remember the statistics for inference
    decay = state["momentum"]
    state["runing_mean"] = decay * state["running_mean"] + (1 - decay) * batch_mean
    state["running_var"] = decay * state["running_var"] + (1 - decay) * batch_var
    return out, state
