"""Comparing one output array with the expected one, within a dtype's tolerance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.request import CheckRequest

# float32 data near 1e4: correct code errs up to ~3e-3, E[x^2]-E[x]^2 by >= 1
FAR_FLOAT32_ATOL = 2e-2


@dataclass
class Comparison:
    ok: bool
    message: str = ""
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    index: tuple[int, ...] | None = None
    expected: float | None = None
    got: float | None = None


def tolerance_for(request: CheckRequest, case: Case) -> tuple[float, float]:
    """(atol, rtol) for a case: the drill's for its dtype, widened for far float32 data."""
    atol, rtol = request.tolerances[case.dtype]
    if case.far and case.dtype == "float32":
        atol = max(atol, FAR_FLOAT32_ATOL)
    return atol, rtol


def compare(
    got: np.ndarray, want: np.ndarray, atol: float, rtol: float, equal_nan: bool = False
) -> Comparison:
    """got vs want: same shape, finite where want is, |got - want| <= atol + rtol * |want|."""
    if got.shape != want.shape:
        return Comparison(False, f"shape {got.shape}, expected {want.shape}")
    if got.size == 0:
        return Comparison(True, max_abs_err=0.0, max_rel_err=0.0)
    both_nan = np.isnan(got) & np.isnan(want) if equal_nan else np.zeros(got.shape, bool)
    error = np.where(both_nan, 0.0, np.abs(got - want))
    error = np.where(np.isnan(error), np.inf, error)
    excess = error - (atol + rtol * np.abs(np.nan_to_num(want, nan=0.0, posinf=0.0, neginf=0.0)))
    worst = np.unravel_index(int(np.argmax(excess)), got.shape)
    relative = error / np.maximum(np.abs(np.nan_to_num(want)), 1e-300)
    result = Comparison(
        bool(np.all(excess <= 0)),
        max_abs_err=float(np.max(error)),
        max_rel_err=float(np.max(relative)),
        index=tuple(int(i) for i in worst),
        expected=float(want[worst]),
        got=float(got[worst]),
    )
    if not result.ok:
        result.message = (
            f"at index {result.index}: expected {result.expected:.6g}, got {result.got:.6g}"
            + (" (not finite)" if not np.isfinite(got[worst]) else "")
        )
    return result
