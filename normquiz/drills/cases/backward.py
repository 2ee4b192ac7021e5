"""Cases for backward passes: upstream gradients with inputs."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import Case, affine_params, eps_default, normal_data, with_repeats

SCALES = {"tiny": 1e-4, "default-eps": 0.05}  # small spreads, where eps matters


def _scale(rng: np.random.Generator, name: str) -> float:
    return SCALES.get(name) or float(rng.uniform(0.5, 3.0))


# name, x shape, dtype, eps
BACKWARD_SHAPES = [
    ("2d", (8, 5), "float64", 1e-5),
    ("2d-float32", (16, 3), "float32", 1e-5),
    ("3d-odd", (4, 3, 7), "float64", 1e-5),
    ("4d-odd", (2, 4, 5, 3), "float64", 1e-5),
    ("n1-spatial", (1, 3, 5, 7), "float64", 1e-5),
    ("n2", (2, 6), "float64", 1e-5),
    ("c1", (6, 1, 4, 4), "float32", 1e-5),
    ("large-eps", (6, 3), "float64", 0.5),
    ("constant-channel", (5, 3, 4), "float64", 1e-5),
    ("default-eps", (4, 2, 3), "float64", 1e-5),
    ("tiny", (8, 4), "float64", 1e-5),
]


@with_repeats
def batchnorm_backward(seed: int) -> list[Case]:
    """Inputs (dout, x, gamma, eps) for the training-mode BatchNorm backward pass."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, eps in BACKWARD_SHAPES:
        x = normal_data(rng, shape, dtype, _scale(rng, name), rng.uniform(-2, 2))
        if name == "constant-channel":
            x[:, 1] = np.asarray(0.5, dtype)
        dout = normal_data(rng, shape, dtype)
        gamma, _ = affine_params(rng, shape[1], dtype)
        cases.append(eps_default(Case(name, dtype, [dout, x, gamma, eps])))
    return cases


# name, x shape, normalized trailing dims, dtype, eps
LAYER_BACKWARD_SHAPES = [
    ("2d", (4, 10), 1, "float64", 1e-5),
    ("tokens", (2, 5, 7), 1, "float32", 1e-5),
    ("two-dims", (2, 3, 5), 2, "float64", 1e-5),
    ("n1", (1, 8), 1, "float64", 1e-5),
    ("large-eps", (4, 6), 1, "float64", 0.5),
    ("images", (2, 3, 4, 5), 3, "float64", 1e-5),
    ("constant-row", (3, 6), 1, "float64", 1e-5),
    ("default-eps", (2, 3, 4), 1, "float64", 1e-5),
    ("tiny", (4, 9), 1, "float64", 1e-5),
]


@with_repeats
def layernorm_backward(seed: int) -> list[Case]:
    """Inputs (dout, x, gamma, eps) for the LayerNorm backward pass."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dims, dtype, eps in LAYER_BACKWARD_SHAPES:
        x = normal_data(rng, shape, dtype, _scale(rng, name), rng.uniform(-2, 2))
        if name == "constant-row":
            x[1] = np.asarray(-0.75, dtype)
        dout = normal_data(rng, shape, dtype)
        gamma = rng.uniform(0.5, 1.5, shape[-dims:]).astype(dtype)
        cases.append(eps_default(Case(name, dtype, [dout, x, gamma, eps])))
    return cases


# name, x shape, groups, dtype, eps
GROUP_BACKWARD_SHAPES = [
    ("4d", (2, 6, 3, 4), 3, "float64", 1e-5),
    ("3d", (1, 4, 5), 2, "float64", 1e-5),
    ("one-group", (2, 4, 3), 1, "float64", 1e-5),
    ("per-channel", (2, 3, 4), 3, "float64", 1e-5),
    ("no-spatial", (3, 6), 2, "float64", 1e-5),
    ("float32", (2, 4, 2, 3), 2, "float32", 1e-5),
    ("large-eps", (2, 4, 3), 2, "float64", 0.5),
    ("default-eps", (2, 4, 3), 2, "float64", 1e-5),
]


@with_repeats
def groupnorm_backward(seed: int) -> list[Case]:
    """Inputs (dout, x, num_groups, gamma, eps) for the GroupNorm backward pass."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, groups, dtype, eps in GROUP_BACKWARD_SHAPES:
        x = normal_data(rng, shape, dtype, _scale(rng, name), rng.uniform(-2, 2))
        gamma, _ = affine_params(rng, shape[1], dtype)
        dout = normal_data(rng, shape, dtype)
        cases.append(eps_default(Case(name, dtype, [dout, x, groups, gamma, eps])))
    return cases
