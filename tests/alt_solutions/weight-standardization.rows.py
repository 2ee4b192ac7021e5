import numpy as np


def weight_standardization(weight, eps=1e-5):
    rows = weight.reshape(weight.shape[0], -1).astype(np.float64)
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        out[i] = (row - row.mean()) / np.sqrt(row.var() + eps)
    return out.reshape(weight.shape)
