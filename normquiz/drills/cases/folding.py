"""Cases for folding BatchNorm into the layer before it, and its affine form."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import Case, bn_statistics, normal_data

# name, (out, in) features, with bias, dtype, eps
LINEAR_FOLD_SHAPES = [
    ("bias", (4, 6), True, "float64", 1e-5),
    ("no-bias", (3, 5), False, "float64", 1e-5),
    ("square", (5, 5), True, "float32", 1e-5),
    ("large-eps", (2, 3), True, "float64", 0.5),
    ("one-output", (1, 4), True, "float64", 1e-5),
]


def linear_bn_fold(seed: int) -> list[Case]:
    """Inputs (weight, bias or None, running_mean, running_var, gamma, beta, eps)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, (out, inp), with_bias, dtype, eps in LINEAR_FOLD_SHAPES:
        weight = normal_data(rng, (out, inp), dtype)
        bias = normal_data(rng, (out,), dtype) if with_bias else None
        cases.append(Case(name, dtype, [weight, bias, *bn_statistics(rng, out, dtype), eps]))
    return cases


# name, in channels, out channels, kernel, groups, bias, eps
CONV_FOLD_SHAPES = [
    ("bias", 3, 4, 3, 1, True, 1e-5),
    ("no-bias", 2, 5, 3, 1, False, 1e-5),
    ("groups-2", 4, 6, 3, 2, True, 1e-5),
    ("depthwise", 3, 3, 1, 3, False, 1e-5),
    ("large-eps", 2, 2, 1, 1, True, 0.5),
]


def conv_bn_fold(seed: int) -> list[Case]:
    """Conv and BN parameters; state['x'] is an input batch to run both models on."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, cin, cout, kernel, groups, with_bias, eps in CONV_FOLD_SHAPES:
        weight = normal_data(rng, (cout, cin // groups, kernel, kernel), "float64", 0.5)
        bias = normal_data(rng, (cout,), "float64") if with_bias else None
        case = Case(name, "float64", [weight, bias, *bn_statistics(rng, cout, "float64"), eps])
        case.state = {"groups": groups, "x": normal_data(rng, (2, cin, 6, 5), "float64")}
        cases.append(case)
    return cases


AFFINE_SHAPES = [
    ("c4", 4, "float64", 1e-5),
    ("c1", 1, "float64", 1e-5),
    ("float32", 6, "float32", 1e-5),
    ("large-eps", 3, "float64", 0.5),
    ("small-var", 5, "float64", 1e-3),
]


def bn_affine(seed: int) -> list[Case]:
    """Inputs (running_mean, running_var, gamma, beta, eps)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, channels, dtype, eps in AFFINE_SHAPES:
        mean, var, gamma, beta = bn_statistics(rng, channels, dtype)
        if name == "small-var":
            var = (var * 1e-4).astype(dtype)
        cases.append(Case(name, dtype, [mean, var, gamma, beta, eps]))
    return cases
