import torch
from torch import nn


class BatchNorm2d(nn.Module):
    """Per-channel batch statistics in training, running statistics at inference."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))

    def forward(self, x):
        if self.training:
            mean = x.mean(dim=(0, 2, 3))
            var = x.var(dim=(0, 2, 3), unbiased=False)  # normalize with the biased variance
            self._update(mean.detach(), var.detach(), x.numel() // x.size(1))
        else:
            mean, var = self.running_mean, self.running_var
        shape = (1, -1, 1, 1)
        x_hat = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps)
        return x_hat * self.weight.view(shape) + self.bias.view(shape)

    @torch.no_grad()
    def _update(self, mean, var, count):
        self.num_batches_tracked += 1
        if self.momentum is None:  # cumulative average
            momentum = 1.0 / float(self.num_batches_tracked)
        else:
            momentum = self.momentum  # weight of the new batch
        self.running_mean.mul_(momentum).add_((1 - momentum) * mean)
        self.running_var.mul_(momentum).add_((1 - momentum) * var * count / (count - 1))
