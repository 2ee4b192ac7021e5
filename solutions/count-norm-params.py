"""Reference solution for count-norm-params."""

import math


def count_norm_params(spec):
    """Learnable: scale (and shift) per feature. Buffers: running stats plus a batch counter."""
    layer = spec["layer"]
    if layer.startswith(("BatchNorm", "InstanceNorm")):
        c = spec["num_features"]
        params = 2 * c if spec["affine"] else 0
        buffers = 2 * c + 1 if spec["track_running_stats"] else 0  # + num_batches_tracked
        return params, buffers
    if layer == "GroupNorm":
        return (2 * spec["num_channels"] if spec["affine"] else 0), 0
    size = math.prod(spec["normalized_shape"])        # elementwise over the normalized shape
    if layer == "LayerNorm":
        if not spec["elementwise_affine"]:
            return 0, 0
        return size * (2 if spec["bias"] else 1), 0
    return (size if spec["elementwise_affine"] else 0), 0   # RMSNorm: a gain, no bias
