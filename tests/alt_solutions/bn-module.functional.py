import torch


class BatchNorm2d(torch.nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.weight = torch.nn.Parameter(torch.ones(num_features))
        self.bias = torch.nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.zeros((), dtype=torch.long))

    def forward(self, x):
        flat = x.transpose(0, 1).reshape(x.shape[1], -1)          # (C, N*H*W)
        if self.training:
            mu = flat.mean(dim=1)
            centered = flat - mu[:, None]
            sigma2 = (centered ** 2).mean(dim=1)
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                k = self.num_batches_tracked.item()
                w = 1 / k if self.momentum is None else self.momentum
                n = flat.shape[1]
                self.running_mean.copy_(torch.lerp(self.running_mean, mu, w))
                self.running_var.copy_(torch.lerp(self.running_var, sigma2 * n / (n - 1), w))
        else:
            mu, sigma2 = self.running_mean, self.running_var
            centered = flat - mu[:, None]
        y = centered * torch.rsqrt(sigma2 + self.eps)[:, None] * self.weight[:, None] + self.bias[:, None]
        return y.reshape(x.shape[1], x.shape[0], *x.shape[2:]).transpose(0, 1)
