"""Cases for folding BatchNorm into the layer before it, and its affine form."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import Case, bn_statistics, eps_default, normal_data, with_repeats

# name, (out, in) features, with bias, dtype, eps
LINEAR_FOLD_SHAPES = [
    ("bias", (4, 6), True, "float64", 1e-5),
    ("no-bias", (3, 5), False, "float64", 1e-5),
    ("square", (5, 5), True, "float32", 1e-5),
    ("large-eps", (2, 3), True, "float64", 0.5),
    ("one-output", (1, 4), True, "float64", 1e-5),
    ("default-eps", (3, 4), True, "float64", 1e-5),
]


@with_repeats
def linear_bn_fold(seed: int) -> list[Case]:
    """Inputs (weight, bias or None, running_mean, running_var, gamma, beta, eps)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, (out, inp), with_bias, dtype, eps in LINEAR_FOLD_SHAPES:
        weight = normal_data(rng, (out, inp), dtype)
        bias = normal_data(rng, (out,), dtype) if with_bias else None
        mean, var, gamma, beta = bn_statistics(rng, out, dtype)
        if name == "default-eps":
            var = (var * 1e-4).astype(dtype)  # small variances, where eps matters
        case = Case(name, dtype, [weight, bias, mean, var, gamma, beta, eps])
        cases.append(eps_default(case))
    return cases


# name, in channels, out channels, kernel, groups, bias, eps, (stride, padding, dilation)
CONV_FOLD_SHAPES = [
    ("bias", 3, 4, 3, 1, True, 1e-5, (1, 0, 1)),
    ("no-bias", 2, 5, 3, 1, False, 1e-5, (1, 0, 1)),
    ("groups-2", 4, 6, 3, 2, True, 1e-5, (1, 0, 1)),
    ("depthwise", 3, 3, 1, 3, False, 1e-5, (1, 0, 1)),
    ("stride-2-padding-1", 2, 3, 3, 1, True, 1e-5, (2, 1, 1)),
    ("dilation-2", 3, 2, 3, 1, False, 1e-5, (1, 2, 2)),
    ("large-eps", 2, 2, 1, 1, True, 0.5, (1, 0, 1)),
]


@with_repeats
def conv_bn_fold(seed: int) -> list[Case]:
    """Conv and BN parameters; state holds the conv's groups, stride, padding and dilation
    and ``x``, an input batch to run both models on."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, cin, cout, kernel, groups, with_bias, eps, geometry in CONV_FOLD_SHAPES:
        weight = normal_data(rng, (cout, cin // groups, kernel, kernel), "float64", 0.5)
        bias = normal_data(rng, (cout,), "float64") if with_bias else None
        case = Case(name, "float64", [weight, bias, *bn_statistics(rng, cout, "float64"), eps])
        stride, padding, dilation = geometry
        case.state = {
            "groups": groups,
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
            "x": normal_data(rng, (2, cin, 6, 5), "float64"),
        }
        cases.append(case)
    return cases


AFFINE_SHAPES = [
    ("c4", 4, "float64", 1e-5),
    ("c1", 1, "float64", 1e-5),
    ("float32", 6, "float32", 1e-5),
    ("large-eps", 3, "float64", 0.5),
    ("small-var", 5, "float64", 1e-3),
    ("default-eps", 3, "float64", 1e-5),
]


@with_repeats
def bn_affine(seed: int) -> list[Case]:
    """Inputs (running_mean, running_var, gamma, beta, eps)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, channels, dtype, eps in AFFINE_SHAPES:
        mean, var, gamma, beta = bn_statistics(rng, channels, dtype)
        if name in ("small-var", "default-eps"):
            var = (var * 1e-4).astype(dtype)
        cases.append(eps_default(Case(name, dtype, [mean, var, gamma, beta, eps])))
    return cases
