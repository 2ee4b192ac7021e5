import numpy as np


def layernorm_forward(x, gamma, beta, eps=1e-5):
    # flatten the normalized dims into rows, normalize each row in a loop
    size = gamma.size
    rows = x.reshape(-1, size).astype(np.float64)
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        mu = row.sum() / size
        dev = row - mu
        out[i] = dev / np.sqrt(np.dot(dev, dev) / size + eps)
    return (out * gamma.reshape(-1) + beta.reshape(-1)).reshape(x.shape)
