"""How a case reads in a verdict: the inputs the learner's function got, as text, and
answers given as names (a protocol that grades a name as its code) compared as names."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.compare import Comparison
from normquiz.drills.harness import ANSWERS

# protocol -> the names its codes stand for
NAMED_ANSWERS: dict[str, Sequence[str]] = {"exception_name": ANSWERS}
LONGEST = 80


def answer_names(protocol: str) -> Sequence[str] | None:
    """The names a protocol's answers are coded from; None when answers are numbers."""
    return NAMED_ANSWERS.get(protocol)


def compare_names(got: np.ndarray, want: np.ndarray, names: Sequence[str]) -> Comparison:
    """A named answer: right or wrong, shown as names; no error figures."""
    expected, answer = _name(want, names), _name(got, names)
    if got.shape == want.shape and expected == answer:
        return Comparison(True)
    return Comparison(False, f"expected {expected}, got {answer}", expected=expected, got=answer)


def _name(codes: np.ndarray, names: Sequence[str]) -> str:
    if codes.size != 1:
        return f"{codes.size} values"
    code = float(codes.reshape(()))
    return names[int(code)] if code.is_integer() and 0 <= code < len(names) else f"code {code:g}"


def describe_inputs(case: Case) -> tuple[str, ...]:
    """One text per input, in call order: batches, arguments, then state entries."""
    batches = [f"{len(case.steps)} x {_describe(case.steps[0], case.dtype)}"] if case.steps else []
    args = [_describe(value, case.dtype) for value in case.args]
    state = [
        f"{key}={_describe(value, case.dtype)}"
        for key, value in [*case.kwargs.items(), *case.state.items()]
    ]
    return tuple(batches + args + state)


def _describe(value: object, dtype: str) -> str:
    if isinstance(value, np.ndarray):
        shape = str(tuple(int(n) for n in value.shape))
        return shape if value.dtype == np.dtype(dtype) else f"{value.dtype} {shape}"
    if isinstance(value, dict) and isinstance(value.get("layer"), str):
        return layer_text(value)
    if isinstance(value, list | tuple) and value and isinstance(value[0], np.ndarray):
        return _clip(f"{len(value)} x {_describe(value[0], dtype)}")
    return _clip(repr(value))


def layer_text(spec: dict[str, object]) -> str:
    """A layer spec as the constructor call it stands for: GroupNorm(num_groups=4, ...)."""
    arguments = ", ".join(f"{key}={value!r}" for key, value in spec.items() if key != "layer")
    return f"{spec['layer']}({arguments})"


def _clip(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 3] + "..."
