import torch


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    t = torch.as_tensor(x, dtype=torch.float64)
    dims = [d for d in range(t.dim()) if d != 1]
    mean = t.mean(dim=dims, keepdim=True)
    var = t.var(dim=dims, unbiased=False, keepdim=True)
    view = [1, -1] + [1] * (t.dim() - 2)
    out = (t - mean) * torch.rsqrt(var + eps) * torch.as_tensor(gamma).view(view) + torch.as_tensor(beta).view(view)
    return out.numpy()
