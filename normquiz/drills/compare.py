"""Comparing one output array with the expected one, within a dtype's tolerance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.request import CheckRequest
from normquiz.drills.results import difference_text


@dataclass(frozen=True)
class Comparison:
    """One output against its reference; no error figures when the shapes differ."""

    ok: bool
    message: str = ""
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    index: tuple[int, ...] | None = None
    expected: float | str | None = None  # at the worst element; a name for a named answer
    got: float | str | None = None


def tolerance_key(request: CheckRequest, case: Case) -> str:
    """The manifest's tolerance a case is graded with: ``far_<dtype>`` for data far from zero
    when the drill gives one, else its dtype's."""
    far = f"far_{case.dtype}"
    return far if case.far and far in request.tolerances else case.dtype


def tolerance_for(request: CheckRequest, case: Case) -> tuple[float, float]:
    """(atol, rtol) for a case, as the drill's manifest states it (see ``tolerance_key``)."""
    key = tolerance_key(request, case)
    if key not in request.tolerances:
        raise ValueError(f"case {case.name}: the drill states no {key} tolerance")
    return request.tolerances[key]


def tolerance_excess(
    got: np.ndarray, want: np.ndarray, atol: float, rtol: float, equal_nan: bool = False
) -> np.ndarray:
    """How far each element lies beyond atol + rtol * |want| (at most 0: within). The one
    rule for a verdict and a diagnosis alike."""
    return np.asarray(_error(got, want, equal_nan) - _bound(want, atol, rtol))


def _error(got: np.ndarray, want: np.ndarray, equal_nan: bool) -> np.ndarray:
    """|got - want|; a NaN or infinite difference is inf, unless both are NaN and
    ``equal_nan``."""
    both_nan = np.isnan(got) & np.isnan(want) if equal_nan else np.zeros(got.shape, bool)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.where(both_nan, 0.0, np.abs(got - want))
    return np.asarray(np.where(np.isnan(error), np.inf, error))


def _bound(want: np.ndarray, atol: float, rtol: float) -> np.ndarray:
    """atol + rtol * |want|; an infinite or NaN expected value widens nothing."""
    return np.asarray(atol + rtol * np.abs(np.nan_to_num(want, nan=0.0, posinf=0.0, neginf=0.0)))


def compare(
    got: np.ndarray, want: np.ndarray, atol: float, rtol: float, equal_nan: bool = False
) -> Comparison:
    """got vs want: same shape, finite where want is, |got - want| <= atol + rtol * |want|."""
    if got.shape != want.shape:
        return Comparison(False, _shape_message(got, want, atol, rtol, equal_nan))
    if got.size == 0:
        return Comparison(True, max_abs_err=0.0, max_rel_err=0.0)
    error = _error(got, want, equal_nan)
    excess = error - _bound(want, atol, rtol)
    worst = np.unravel_index(int(np.argmax(excess)), got.shape)
    ok = bool(np.all(excess <= 0))
    expected, actual = float(want[worst]), float(got[worst])
    where = f"at index {tuple(int(i) for i in worst)}: " if got.ndim else ""
    return Comparison(
        ok,
        "" if ok else where + difference_text(expected, actual),
        max_abs_err=float(np.max(error)),
        max_rel_err=_largest_relative(error, want),
        index=tuple(int(i) for i in worst),
        expected=expected,
        got=actual,
    )


def _largest_relative(error: np.ndarray, want: np.ndarray) -> float | None:
    """The largest error relative to a nonzero expected value; None when all are zero."""
    nonzero = np.nan_to_num(want) != 0
    if not nonzero.any():
        return None
    return float(np.max(error[nonzero] / np.abs(np.nan_to_num(want)[nonzero])))


def _shape_message(
    got: np.ndarray, want: np.ndarray, atol: float, rtol: float, equal_nan: bool
) -> str:
    """The shapes; and when the values match once reshaped, that they do and what to change."""
    mine, theirs = str(got.shape), str(want.shape)
    reshaped = (
        got.size == want.size > 0
        and compare(got.reshape(want.shape), want, atol, rtol, equal_nan).ok
    )
    if not reshaped:
        return f"shape {mine}, expected {theirs}"
    return f"right values, shape {mine} instead of {theirs}: {_reshape_hint(got.shape, want.shape)}"


def _reshape_hint(mine: tuple[int, ...], theirs: tuple[int, ...]) -> str:
    def squeezed(shape: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(n for n in shape if n != 1)

    if squeezed(mine) == squeezed(theirs) and len(mine) > len(theirs):
        return "drop the extra size-1 axes (keepdims)"
    if squeezed(mine) == squeezed(theirs) and len(mine) < len(theirs):
        return "keep the size-1 axes (keepdims=True)"
    return f"reshape the result to {theirs}"
