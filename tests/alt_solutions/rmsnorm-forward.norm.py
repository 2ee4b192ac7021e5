import numpy as np


def rmsnorm_forward(x, weight, eps=1e-6):
    size = weight.size
    rows = x.reshape(-1, size)
    rms = np.sqrt(np.linalg.norm(rows, axis=1) ** 2 / size + eps)
    return (rows / rms[:, None]).reshape(x.shape) * weight
