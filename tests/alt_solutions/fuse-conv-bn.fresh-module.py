import torch


def fuse_conv_bn(conv, bn):
    # build a new module instead of copying, and compute in float64
    fused = torch.nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size, stride=conv.stride,
                            padding=conv.padding, dilation=conv.dilation, groups=conv.groups,
                            bias=True, dtype=conv.weight.dtype)
    inv_std = torch.rsqrt(bn.running_var.double() + bn.eps)
    s = (bn.weight.double() * inv_std).to(conv.weight.dtype)
    b = torch.zeros(conv.out_channels, dtype=conv.weight.dtype) if conv.bias is None else conv.bias
    fused.weight.data = conv.weight.data * s[:, None, None, None]
    fused.bias.data = bn.bias.data + (b.data - bn.running_mean) * s
    return fused
