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


def affine_params(rng: np.random.Generator, channels: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    gamma = rng.uniform(0.5, 1.5, channels).astype(dtype)
    beta = rng.normal(0.0, 1.0, channels).astype(dtype)
    return gamma, beta


def normal_data(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, scale: float = 1.0,
                shift: float = 0.0) -> np.ndarray:
    return (shift + scale * rng.standard_normal(shape)).astype(dtype)


def data_of_kind(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, kind: str) -> np.ndarray:
    """Data of a kind: normal, far (around 1e4), tiny (1e-4 scale)."""
    scale, shift = {"normal": (rng.uniform(0.5, 3.0), rng.uniform(-2, 2)), "far": (1.0, 1e4),
                    "tiny": (1e-4, 0.0)}[kind]
    return normal_data(rng, shape, dtype, scale, shift)


def bn_statistics(rng: np.random.Generator, channels: int, dtype: str) -> list[np.ndarray]:
    """running_mean, running_var, gamma, beta of a trained-looking BatchNorm."""
    return [rng.normal(0, 1, channels).astype(dtype), rng.uniform(0.2, 3.0, channels).astype(dtype),
            rng.uniform(0.5, 1.5, channels).astype(dtype), rng.normal(0, 1, channels).astype(dtype)]
