import copy

import torch


def fuse_conv_bn(conv, bn):
    fused = copy.deepcopy(conv)
    bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
    with torch.no_grad():
        scale = bn.weight / (torch.sqrt(bn.running_var) + bn.eps)
        fused.weight = torch.nn.Parameter(conv.weight * scale.reshape(-1, 1, 1, 1))
        fused.bias = torch.nn.Parameter((bias - bn.running_mean) * scale + bn.bias)
    return fused
