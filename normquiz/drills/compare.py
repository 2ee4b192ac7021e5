"""Comparing one output array with the expected one, within a dtype's tolerance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Comparison:
    ok: bool
    message: str = ""
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    index: tuple[int, ...] | None = None
    expected: float | None = None
    got: float | None = None

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, "message": self.message, "max_abs_err": self.max_abs_err,
                "max_rel_err": self.max_rel_err, "index": list(self.index) if self.index else None,
                "expected": self.expected, "got": self.got}


def compare(got: np.ndarray, want: np.ndarray, atol: float, rtol: float,
            equal_nan: bool = False) -> Comparison:
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
    result = Comparison(bool(np.all(excess <= 0)), max_abs_err=float(np.max(error)),
                        max_rel_err=float(np.max(relative)),
                        index=tuple(int(i) for i in worst), expected=float(want[worst]),
                        got=float(got[worst]))
    if not result.ok:
        result.message = (f"at index {result.index}: expected {result.expected:.6g}, got {result.got:.6g}"
                          + (" (not finite)" if not np.isfinite(got[worst]) else ""))
    return result
