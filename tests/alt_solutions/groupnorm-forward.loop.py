import numpy as np


def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    out = np.empty_like(x, dtype=np.float64)
    per_group = x.shape[1] // num_groups
    for n in range(x.shape[0]):
        for g in range(num_groups):
            block = slice(g * per_group, (g + 1) * per_group)
            values = x[n, block].astype(np.float64)
            mu = values.mean()
            out[n, block] = (values - mu) / np.sqrt(((values - mu) ** 2).mean() + eps)
    for c in range(x.shape[1]):
        out[:, c] = out[:, c] * gamma[c] + beta[c]
    return out
