import numpy as np


def bn_affine(running_mean, running_var, gamma, beta, eps=1e-5):
    # evaluate the eval-mode map at x = 0 and x = 1
    f = lambda x: gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta  # noqa: E731
    b = f(np.zeros_like(running_mean))
    return f(np.ones_like(running_mean)) - b, b
