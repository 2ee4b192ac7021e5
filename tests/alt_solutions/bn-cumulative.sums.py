import numpy as np


def batchnorm_train_step(x, gamma, beta, state):
    xs = np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])      # (values, C)
    n = xs.shape[0]
    mu = xs.mean(axis=0)
    sigma2 = ((xs - mu) ** 2).mean(axis=0)
    y = (xs - mu) / np.sqrt(sigma2 + state["eps"]) * gamma + beta
    out = np.moveaxis(y.reshape(np.moveaxis(x, 1, -1).shape), -1, 1)
    k = state["num_batches_tracked"]
    new = dict(state)
    new["num_batches_tracked"] = k + 1
    new["running_mean"] = (state["running_mean"] * k + mu) / (k + 1)
    new["running_var"] = (state["running_var"] * k + sigma2 * n / (n - 1)) / (k + 1)
    return out, new
