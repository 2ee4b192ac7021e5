"""What a diagnosis works on: the submission's outputs per (case, output) unit, which of them
fail, and a vectorized judgement of candidate outputs against the reference and the
submission."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.compare import compare, tolerance_excess, tolerance_for
from normquiz.drills.request import CheckRequest

Outputs = list[np.ndarray]
Reference = list[tuple[str, np.ndarray]]
Unit = tuple[int, int]  # (case index, output index)


@dataclass(frozen=True)
class Context:
    """A failing submission's outputs beside the reference; only analysed cases count."""

    request: CheckRequest
    cases: Sequence[Case]
    references: Sequence[Reference]
    outputs: Sequence[Outputs | None]
    tolerances: tuple[tuple[float, float], ...]
    failing: frozenset[Unit]

    @classmethod
    def build(
        cls,
        request: CheckRequest,
        cases: Sequence[Case],
        references: Sequence[Reference],
        outputs: Sequence[Outputs | None],
    ) -> Context:
        tolerances = tuple(tolerance_for(request, case) for case in cases)
        failing = frozenset(
            (i, k)
            for i, got in enumerate(outputs)
            if got is not None and len(got) == len(references[i])
            for k, ((_, want), array) in enumerate(zip(references[i], got, strict=True))
            if not compare(array, want, *tolerances[i]).ok
        )
        return cls(request, cases, references, outputs, tolerances, failing)

    def analysed(self, case: int) -> bool:
        """The submission ran on this case and returned as many outputs as expected."""
        got = self.outputs[case]
        return got is not None and len(got) == len(self.references[case])

    def reference(self, unit: Unit) -> np.ndarray:
        return self.references[unit[0]][unit[1]][1]

    def submission(self, unit: Unit) -> np.ndarray:
        got = self.outputs[unit[0]]
        if got is None:
            raise ValueError(f"case {unit[0]} was not analysed")
        return got[unit[1]]

    def output_name(self, unit: Unit) -> str:
        return self.references[unit[0]][unit[1]][0]

    def unit_named(self, case: int, name: str) -> Unit:
        """The unit of the reference output called ``name`` (KeyError when there is none)."""
        for k, (output, _) in enumerate(self.references[case]):
            if output == name:
                return case, k
        raise KeyError(name)


@dataclass(frozen=True)
class Judgement:
    """Per candidate row: finite everywhere, beyond tolerance of the reference, beyond it at
    some finite value, within tolerance of the submission (NaN matching NaN)."""

    defined: np.ndarray
    differs: np.ndarray
    finite_differs: np.ndarray
    matches: np.ndarray


def judge(stack: np.ndarray, context: Context, unit: Unit) -> Judgement:
    """Judge the candidate outputs ``stack`` (one row per candidate) at one unit."""
    atol, rtol = context.tolerances[unit[0]]
    want, got = context.reference(unit), context.submission(unit)
    rows = stack.shape[0]
    axes = tuple(range(1, stack.ndim))
    with np.errstate(invalid="ignore", over="ignore"):
        defined = np.isfinite(stack).all(axis=axes)
        if stack.shape[1:] == want.shape:
            close = _close(stack, want, atol, rtol)
            differs = ~np.asarray(close.all(axis=axes), bool)
            finite_differs = np.asarray((np.isfinite(stack) & ~close).any(axis=axes), bool)
        else:
            differs = np.ones(rows, bool)
            finite_differs = np.asarray(np.isfinite(stack).any(axis=axes), bool)
        if stack.shape[1:] == got.shape:
            same = (
                _close(got, stack, atol, rtol) | (stack == got) | (np.isnan(stack) & np.isnan(got))
            )
            matches = np.asarray(same.all(axis=axes), bool)
        else:
            matches = np.zeros(rows, bool)
    return Judgement(np.asarray(defined, bool), differs, finite_differs, matches)


def _close(got: np.ndarray, want: np.ndarray, atol: float, rtol: float) -> np.ndarray:
    """|got - want| <= atol + rtol * |want| elementwise, as ``compare`` decides; NaN is never
    close."""
    return np.asarray(tolerance_excess(got, want, atol, rtol) <= 0, bool)
