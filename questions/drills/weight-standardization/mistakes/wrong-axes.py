import numpy as np


def weight_standardization(weight, eps=1e-5):
    return (weight - weight.mean()) / np.sqrt(weight.var() + eps)
