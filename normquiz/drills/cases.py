"""Generated test cases: the shapes, dtypes and data that break wrong normalization code.

Every generator is deterministic for a seed. A case holds plain numpy inputs; the
protocol (normquiz.drills.protocols) decides how they are passed to the learner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Case:
    name: str
    dtype: str                                   # "float32" or "float64"
    args: list[object]                           # positional arguments (arrays or floats)
    steps: list[np.ndarray] = field(default_factory=list)  # train_steps: one batch per step
    state: dict[str, object] = field(default_factory=dict)  # train_steps: the initial state
    far: bool = False                            # data far from zero: float32 tolerance widened


def _affine(rng: np.random.Generator, channels: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    gamma = rng.uniform(0.5, 1.5, channels).astype(dtype)
    beta = rng.normal(0.0, 1.0, channels).astype(dtype)
    return gamma, beta


def _data(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, scale: float = 1.0,
          shift: float = 0.0) -> np.ndarray:
    return (shift + scale * rng.standard_normal(shape)).astype(dtype)


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
    ("far-from-zero", (64, 3, 5), "float32", 1.0, 1e4, 1e-5, False),
]


def batchnorm(seed: int) -> list[Case]:
    """Inputs (x, gamma, beta, eps) for training-mode BatchNorm."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, scale, shift, eps, constant in BATCH_SHAPES:
        x = _data(rng, shape, dtype, scale, shift)
        if constant:
            x[:, 1] = np.asarray(0.75, dtype)
        gamma, beta = _affine(rng, shape[1], dtype)
        cases.append(Case(name, dtype, [x, gamma, beta, eps], far=shift >= 1e3))
    return cases


# name, per-step shape, dtype, steps, momentum
TRAIN_SHAPES: list[tuple[str, tuple[int, ...], str, int, float]] = [
    ("2d-3-steps", (8, 4), "float64", 3, 0.1),
    ("4d-odd-4-steps", (3, 2, 5, 3), "float32", 4, 0.1),
    ("momentum-0.3", (5, 3), "float64", 3, 0.3),
    ("n2-c1", (2, 1, 7), "float64", 3, 0.2),
]


def batchnorm_train_steps(seed: int) -> list[Case]:
    """Several training steps with a running-statistics state (PyTorch momentum convention)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, steps, momentum in TRAIN_SHAPES:
        channels = shape[1]
        batches = [_data(rng, shape, dtype, rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
                   for _ in range(steps)]
        gamma, beta = _affine(rng, channels, dtype)
        state = {"running_mean": rng.normal(0, 0.5, channels).astype(dtype),
                 "running_var": rng.uniform(0.5, 2.0, channels).astype(dtype),
                 "momentum": momentum, "eps": 1e-5}
        cases.append(Case(name, dtype, [gamma, beta], steps=batches, state=state))
    return cases
