"""Generated test cases: the shapes, dtypes and data that break wrong normalization code.

Every generator is deterministic for a seed. A case holds plain numpy inputs; the
protocol (normquiz.drills.protocols) decides how they are passed to the learner.
Generators wrapped in ``with_repeats`` also call the function again on earlier inputs.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
    far: bool = False  # data far from zero: graded with the manifest's far_<dtype> tolerance
    # trailing parameters the call leaves out: the defaults the prompt promises, for the reference
    defaults: list[object] = field(default_factory=list)
    kwargs: dict[str, object] = field(default_factory=dict)  # declared cases: by keyword

    def argument(self, index: int) -> object:
        """Argument ``index`` of the full signature, a left-out default included."""
        return [*self.args, *self.defaults][index]

    def array(self, index: int) -> np.ndarray:
        return _expect(self.argument(index), np.ndarray, self.name, index)

    def arrays(self, count: int) -> list[np.ndarray]:
        """The first ``count`` arguments, each an array."""
        return [self.array(i) for i in range(count)]

    def number(self, index: int) -> float:
        value = self.argument(index)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"case {self.name}: argument {index} is not a number")
        return float(value)

    def integer(self, index: int) -> int:
        return _expect(self.argument(index), int, self.name, index)

    def text(self, index: int) -> str:
        return _expect(self.argument(index), str, self.name, index)

    def spec(self, index: int) -> dict[str, object]:
        return dict(_expect(self.argument(index), dict, self.name, index))

    def optional_array(self, index: int) -> np.ndarray | None:
        return None if self.argument(index) is None else self.array(index)

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


Generator = Callable[[int], list[Case]]
DEFAULT_EPS_CASE = "default-eps"
REPEAT_SEED_OFFSET = 1_000_003  # the seed of the "new values" cases, far from any --seed in use


def leaving_default(case: Case, default: object) -> Case:
    """The case called without its last argument, whose promised default is ``default``."""
    if not case.args or case.args[-1] != default:
        raise ValueError(f"case {case.name}: the last argument is not the default {default!r}")
    return replace(case, args=case.args[:-1], defaults=[default, *case.defaults])


def eps_default(case: Case, default: float = 1e-5) -> Case:
    """A case named default-eps is called without eps: the function's default must be it."""
    return leaving_default(case, default) if case.name == DEFAULT_EPS_CASE else case


def with_repeats(generate: Generator) -> Generator:
    """The generator's cases, plus for a few of them (the first, the middle and the last) a case
    of the same shapes with new values and then the same inputs again, both right after the
    next case: code that keeps state between calls (a counter, a cache, a running mean) fails."""

    @functools.wraps(generate)
    def cases(seed: int) -> list[Case]:
        return interleave_repeats(generate(seed), generate(seed + REPEAT_SEED_OFFSET))

    return cases


def interleave_repeats(cases: list[Case], others: list[Case]) -> list[Case]:
    """``cases`` with, after the case following each target, another case of the target's
    shapes with new values (from ``others``, when its inputs differ) and the target again."""
    last = len(cases) - 1
    targets = sorted({0, len(cases) // 2, last}) if cases else []
    result: list[Case] = []
    for index, case in enumerate(cases):
        result.append(case)
        for target in (t for t in targets if min(t + 1, last) == index):
            result += _repeat_pair(cases[target], others[target])
    return result


def _repeat_pair(case: Case, other: Case) -> list[Case]:
    again = replace(copy.deepcopy(case), name=f"again: {case.name}")
    if same_inputs(case, other):
        return [again]
    return [replace(copy.deepcopy(other), name=f"{case.name}, new values"), again]


def same_inputs(a: Case, b: Case) -> bool:
    """Whether two cases call the function with equal inputs."""
    return _equal(
        [a.args, a.steps, a.state, a.defaults, a.kwargs],
        [b.args, b.steps, b.state, b.defaults, b.kwargs],
    )


def _equal(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and _same_array(a, b)
    if isinstance(a, (list, tuple)):
        return (
            isinstance(b, type(a))
            and len(a) == len(b)
            and all(_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _same_array(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


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
