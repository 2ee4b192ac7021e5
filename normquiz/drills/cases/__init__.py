"""Generated test cases: the shapes, dtypes and data that break wrong normalization code.

Every generator is deterministic for a seed. A case holds plain numpy inputs; the
protocol (normquiz.drills.protocols) decides how they are passed to the learner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

T = TypeVar("T")


@dataclass
class Case:
    """One generated case. ``args`` are passed positionally to the learner's function
    (arrays, numbers, names, layer specs); the typed accessors read them back."""

    name: str
    dtype: str  # "float32" or "float64"
    args: list[object]
    steps: list[np.ndarray] = field(default_factory=list)  # train_steps: one batch per step
    state: dict[str, object] = field(default_factory=dict)  # train_steps: the initial state
    far: bool = False  # data far from zero: float32 tolerance widened

    def array(self, index: int) -> np.ndarray:
        return _expect(self.args[index], np.ndarray, self.name, index)

    def arrays(self, count: int) -> list[np.ndarray]:
        """The first ``count`` arguments, each an array."""
        return [self.array(i) for i in range(count)]

    def number(self, index: int) -> float:
        value = self.args[index]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"case {self.name}: argument {index} is not a number")
        return float(value)

    def integer(self, index: int) -> int:
        return _expect(self.args[index], int, self.name, index)

    def text(self, index: int) -> str:
        return _expect(self.args[index], str, self.name, index)

    def spec(self, index: int) -> dict[str, object]:
        return dict(_expect(self.args[index], dict, self.name, index))

    def optional_array(self, index: int) -> np.ndarray | None:
        return None if self.args[index] is None else self.array(index)

    def state_array(self, key: str) -> np.ndarray:
        return _expect(self.state[key], np.ndarray, self.name, key)

    def state_arrays(self, key: str) -> list[np.ndarray]:
        values = _expect(self.state[key], list, self.name, key)
        return [_expect(v, np.ndarray, self.name, key) for v in values]

    def state_integer(self, key: str) -> int:
        return _expect(self.state.get(key, 0), int, self.name, key)

    def state_number(self, key: str) -> float | None:
        value = self.state.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"case {self.name}: state {key!r} is not a number")
        return float(value)


def _expect(value: object, kind: type[T], case: str, where: int | str) -> T:
    if not isinstance(value, kind):
        raise TypeError(f"case {case}: {where!r} is {type(value).__name__}, not {kind.__name__}")
    return value


def affine_params(
    rng: np.random.Generator, channels: int, dtype: str
) -> tuple[np.ndarray, np.ndarray]:
    gamma = rng.uniform(0.5, 1.5, channels).astype(dtype)
    beta = rng.normal(0.0, 1.0, channels).astype(dtype)
    return gamma, beta


def normal_data(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    dtype: str,
    scale: float = 1.0,
    shift: float = 0.0,
) -> np.ndarray:
    return (shift + scale * rng.standard_normal(shape)).astype(dtype)


def data_of_kind(
    rng: np.random.Generator, shape: tuple[int, ...], dtype: str, kind: str
) -> np.ndarray:
    """Data of a kind: normal, far (around 1e4), tiny (1e-4 scale)."""
    scale, shift = {
        "normal": (rng.uniform(0.5, 3.0), rng.uniform(-2, 2)),
        "far": (1.0, 1e4),
        "tiny": (1e-4, 0.0),
    }[kind]
    return normal_data(rng, shape, dtype, scale, shift)


def bn_statistics(rng: np.random.Generator, channels: int, dtype: str) -> list[np.ndarray]:
    """running_mean, running_var, gamma, beta of a trained-looking BatchNorm."""
    return [
        rng.normal(0, 1, channels).astype(dtype),
        rng.uniform(0.2, 3.0, channels).astype(dtype),
        rng.uniform(0.5, 1.5, channels).astype(dtype),
        rng.normal(0, 1, channels).astype(dtype),
    ]
