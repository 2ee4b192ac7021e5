import numpy as np


def bn_affine(running_mean, running_var, gamma, beta, eps=1e-5):
    return gamma / np.sqrt(running_var + eps), beta - running_mean
