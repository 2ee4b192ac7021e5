import math


def count_norm_params(spec):
    layer = spec["layer"]
    if layer.startswith(("BatchNorm", "InstanceNorm")):
        c = spec["num_features"]
        tracked = spec["track_running_stats"]
        return (2 * c if spec["affine"] else 0) + (2 * c if tracked else 0), (1 if tracked else 0)
    if layer == "GroupNorm":
        return (2 * spec["num_channels"] if spec["affine"] else 0), 0
    size = math.prod(spec["normalized_shape"])
    if layer == "LayerNorm":
        return (size * (2 if spec["bias"] else 1) if spec["elementwise_affine"] else 0), 0
    return (size if spec["elementwise_affine"] else 0), 0
