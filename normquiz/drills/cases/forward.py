"""Cases for forward passes: BatchNorm (training and eval), LayerNorm, GroupNorm,
InstanceNorm, RMSNorm, Weight Standardization."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import (
    Case,
    affine_params,
    data_of_kind,
    eps_default,
    normal_data,
    with_repeats,
)

# name, shape, dtype, scale, shift, eps, constant channel
BATCH_SHAPES: list[tuple[str, tuple[int, ...], str, float, float, float, bool]] = [
    ("2d", (8, 5), "float64", 2.0, 1.0, 1e-5, False),
    ("2d-float32", (16, 3), "float32", 1.0, 0.5, 1e-5, False),
    ("3d-odd", (4, 3, 7), "float64", 1.5, -1.0, 1e-5, False),
    ("4d-odd", (2, 4, 5, 3), "float32", 1.0, 0.0, 1e-5, False),
    ("5d", (2, 2, 3, 1, 5), "float64", 1.0, 2.0, 1e-5, False),
    ("n1-spatial", (1, 3, 5, 7), "float64", 1.0, 0.0, 1e-5, False),
    ("n2", (2, 6), "float64", 3.0, 0.0, 1e-5, False),
    ("c1", (6, 1, 4, 4), "float32", 1.0, 0.0, 1e-5, False),
    ("constant-channel", (5, 3, 4), "float64", 1.0, 0.0, 1e-5, True),
    ("tiny", (8, 4), "float64", 1e-4, 0.0, 1e-5, False),
    ("large-eps", (6, 3), "float64", 1.0, 0.0, 0.1, False),
    ("default-eps", (6, 3, 2), "float64", 0.1, 0.3, 1e-5, False),
    ("far-from-zero", (64, 3, 5), "float32", 1.0, 1e4, 1e-5, False),
]


@with_repeats
def batchnorm(seed: int) -> list[Case]:
    """Inputs (x, gamma, beta, eps) for training-mode BatchNorm."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, scale, shift, eps, constant in BATCH_SHAPES:
        x = normal_data(rng, shape, dtype, scale, shift)
        if constant:
            x[:, 1] = np.asarray(0.75, dtype)
        gamma, beta = affine_params(rng, shape[1], dtype)
        cases.append(eps_default(Case(name, dtype, [x, gamma, beta, eps], far=shift >= 1e3)))
    return cases


# name, x shape, dtype, data kind, eps, running stats as (scale of mean, range of var)
EVAL_SHAPES = [
    ("2d", (8, 5), "float64", "normal", 1e-5),
    ("n1", (1, 4), "float64", "normal", 1e-5),
    ("4d-odd", (2, 3, 5, 7), "float32", "normal", 1e-5),
    ("3d", (3, 2, 9), "float64", "normal", 1e-5),
    ("c1", (4, 1, 3, 3), "float32", "normal", 1e-5),
    ("large-eps", (5, 3), "float64", "normal", 0.5),
    ("default-eps", (3, 2, 4), "float64", "tiny", 1e-5),
    ("small-var", (6, 4), "float64", "tiny", 1e-3),
]


@with_repeats
def batchnorm_eval(seed: int) -> list[Case]:
    """Inputs (x, running_mean, running_var, gamma, beta, eps) for inference-mode BatchNorm."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, kind, eps in EVAL_SHAPES:
        x = data_of_kind(rng, shape, dtype, kind)
        channels = shape[1]
        mean = rng.normal(0, 1, channels).astype(dtype)
        var = rng.uniform(0.2, 3.0, channels).astype(dtype) * (1e-6 if kind == "tiny" else 1.0)
        gamma, beta = affine_params(rng, channels, dtype)
        cases.append(eps_default(Case(name, dtype, [x, mean, var, gamma, beta, eps])))
    return cases


# name, x shape, number of normalized trailing dims, dtype, data kind, eps
LAYER_SHAPES = [
    ("2d", (4, 10), 1, "float64", "normal", 1e-5),
    ("tokens", (2, 5, 7), 1, "float32", "normal", 1e-5),
    ("two-dims", (2, 3, 5), 2, "float64", "normal", 1e-5),
    ("images", (2, 3, 4, 5), 3, "float64", "normal", 1e-5),
    ("n1", (1, 8), 1, "float64", "normal", 1e-5),
    ("d1", (3, 1), 1, "float64", "normal", 1e-5),
    ("constant-row", (3, 6), 1, "float64", "normal", 1e-5),
    ("large-eps", (4, 6), 1, "float64", "normal", 0.5),
    ("tiny", (4, 9), 1, "float64", "tiny", 1e-5),
    ("default-eps", (3, 4, 5), 1, "float64", "tiny", 1e-5),
    ("far-from-zero", (4, 256), 1, "float32", "far", 1e-5),
]


@with_repeats
def layernorm(seed: int) -> list[Case]:
    """Inputs (x, gamma, beta, eps); gamma/beta cover the trailing normalized dims."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dims, dtype, kind, eps in LAYER_SHAPES:
        x = data_of_kind(rng, shape, dtype, kind)
        if name == "constant-row":
            x[1] = np.asarray(2.5, dtype)
        normalized = shape[-dims:]
        gamma = rng.uniform(0.5, 1.5, normalized).astype(dtype)
        beta = rng.normal(0, 1, normalized).astype(dtype)
        cases.append(eps_default(Case(name, dtype, [x, gamma, beta, eps], far=kind == "far")))
    return cases


# name, x shape, groups, dtype, data kind, eps
GROUP_SHAPES = [
    ("4d", (2, 6, 4, 5), 3, "float64", "normal", 1e-5),
    ("3d", (1, 4, 7), 2, "float64", "normal", 1e-5),
    ("no-spatial", (3, 8), 4, "float64", "normal", 1e-5),
    ("one-group", (2, 6, 3, 3), 1, "float64", "normal", 1e-5),
    ("group-per-channel", (2, 6, 5), 6, "float64", "normal", 1e-5),
    ("3-spatial", (2, 4, 3, 2, 3), 2, "float64", "normal", 1e-5),
    ("float32-odd", (2, 4, 3, 5), 2, "float32", "normal", 1e-5),
    ("large-eps", (2, 4, 3), 2, "float64", "normal", 0.5),
    ("default-eps", (2, 6, 4), 3, "float64", "tiny", 1e-5),
    ("far-from-zero", (2, 4, 16, 16), 2, "float32", "far", 1e-5),
]


@with_repeats
def groupnorm(seed: int) -> list[Case]:
    """Inputs (x, num_groups, gamma, beta, eps) with gamma, beta of shape (C,)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, groups, dtype, kind, eps in GROUP_SHAPES:
        x = data_of_kind(rng, shape, dtype, kind)
        gamma, beta = affine_params(rng, shape[1], dtype)
        case = Case(name, dtype, [x, groups, gamma, beta, eps], far=kind == "far")
        cases.append(eps_default(case))
    return cases


# name, x shape, dtype, data kind, eps
INSTANCE_SHAPES = [
    ("4d", (2, 3, 4, 5), "float64", "normal", 1e-5),
    ("h-not-w", (1, 2, 3, 7), "float32", "normal", 1e-5),
    ("1d", (2, 4, 9), "float64", "normal", 1e-5),
    ("3d", (2, 2, 3, 2, 4), "float64", "normal", 1e-5),
    ("c1", (3, 1, 5, 5), "float64", "normal", 1e-5),
    ("large-eps", (2, 3, 6), "float64", "normal", 0.5),
    ("constant-map", (2, 3, 4, 4), "float64", "normal", 1e-5),
    ("default-eps", (2, 2, 5), "float64", "tiny", 1e-5),
    ("far-from-zero", (2, 2, 16, 16), "float32", "far", 1e-5),
]


@with_repeats
def instancenorm(seed: int) -> list[Case]:
    """Inputs (x, eps) for InstanceNorm without affine parameters."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, kind, eps in INSTANCE_SHAPES:
        x = data_of_kind(rng, shape, dtype, kind)
        if name == "constant-map":
            x[0, 1] = np.asarray(-1.25, dtype)
        cases.append(eps_default(Case(name, dtype, [x, eps], far=kind == "far")))
    return cases


# name, x shape, number of normalized trailing dims, dtype, data kind, eps
RMS_SHAPES = [
    ("2d", (4, 8), 1, "float64", "normal", 1e-6),
    ("tokens", (2, 3, 6), 1, "float32", "normal", 1e-6),
    ("two-dims", (2, 3, 4), 2, "float64", "normal", 1e-6),
    ("n1", (1, 5), 1, "float64", "normal", 1e-6),
    ("zero-row", (3, 4), 1, "float64", "normal", 1e-6),
    ("large-eps", (3, 5), 1, "float64", "normal", 0.5),
    ("tiny", (4, 6), 1, "float64", "tiny", 1e-6),
    ("default-eps", (2, 3, 5), 1, "float64", "tiny", 1e-6),
    ("shifted", (3, 7), 1, "float64", "normal", 1e-6),
]


@with_repeats
def rmsnorm(seed: int) -> list[Case]:
    """Inputs (x, weight, eps); weight covers the trailing normalized dims."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dims, dtype, kind, eps in RMS_SHAPES:
        x = data_of_kind(rng, shape, dtype, kind)
        if name == "zero-row":
            x[1] = 0
        if name == "shifted":
            x += np.asarray(3.0, dtype)  # a mean far from zero: subtracting it changes the result
        weight = rng.uniform(0.5, 1.5, shape[-dims:]).astype(dtype)
        cases.append(eps_default(Case(name, dtype, [x, weight, eps]), 1e-6))
    return cases


# name, weight shape (out, in, *kernel), dtype, eps
WS_SHAPES = [
    ("conv3x3", (4, 3, 3, 3), "float64", 1e-5),
    ("conv1x1", (6, 5, 1, 1), "float64", 1e-5),
    ("linear", (3, 7), "float64", 1e-5),
    ("conv1d", (2, 4, 5), "float32", 1e-5),
    ("large-eps", (3, 2, 3, 3), "float64", 0.5),
    ("one-output", (1, 4, 3, 3), "float64", 1e-5),
    ("default-eps", (4, 2, 3, 3), "float64", 1e-5),
]


@with_repeats
def weight_standardization(seed: int) -> list[Case]:
    """Inputs (weight, eps): one filter per output channel."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, eps in WS_SHAPES:
        scale = 1e-3 if name == "default-eps" else rng.uniform(0.05, 0.5)
        weight = normal_data(rng, shape, dtype, scale, rng.uniform(-0.2, 0.2))
        cases.append(eps_default(Case(name, dtype, [weight, eps])))
    return cases
