from functools import reduce
from operator import mul

# (parameters per feature, features key) for each family
def count_norm_params(spec):
    kind = spec["layer"].rstrip("123d")
    if kind in ("BatchNorm", "InstanceNorm"):
        n = spec["num_features"]
        return n * 2 * int(spec["affine"]), (n * 2 + 1) * int(spec["track_running_stats"])
    if kind == "GroupNorm":
        return spec["num_channels"] * 2 * int(spec["affine"]), 0
    n = reduce(mul, spec["normalized_shape"], 1)
    if not spec["elementwise_affine"]:
        return 0, 0
    per = 2 if kind == "LayerNorm" and spec["bias"] else 1
    return n * per, 0
