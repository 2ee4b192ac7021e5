import numpy as np


def bn_affine(running_mean, running_var, gamma, beta, eps=1e-5):
    a = gamma / (np.sqrt(running_var) + eps)
    return a, beta - a * running_mean
