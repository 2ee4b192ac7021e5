import numpy as np


def fold_linear_bn(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5):
    scale = gamma / (np.sqrt(running_var) + eps)
    bias = np.zeros_like(running_mean) if bias is None else bias
    return weight * scale[:, None], (bias - running_mean) * scale + beta
