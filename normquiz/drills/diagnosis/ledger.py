"""Bookkeeping per candidate: contradicted or not, and which failing units it explains."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from normquiz.drills.diagnosis.context import Context, Judgement, Unit, judge
from normquiz.drills.results import Diagnosis


@dataclass(frozen=True)
class Finding:
    """A candidate that survived: the mistakes it stands for and the failing units it explains.

    ``undetermined``: failing units where the candidate's own output is not finite, not
    settled at the input's precision, or derived from its output by code not recomputed
    here (autograd), so it can neither explain nor contradict them.
    ``authored`` marks a bank mistake file, whose explanation is the bank's own text.
    """

    diagnoses: tuple[Diagnosis, ...]
    explained: frozenset[Unit]
    undetermined: frozenset[Unit] = frozenset()
    authored: bool = False

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(d.id for d in self.diagnoses)


class Ledger:
    """Candidates numbered 0..size-1, judged unit by unit.

    A candidate is contradicted where it is defined (finite), differs from the reference and
    the submission does not match it. It explains a failing unit where it differs from the
    reference and the submission matches it; that is evidence when some of its finite values
    differ from the reference there (NaN alone is none) and rounding does not decide them.
    """

    def __init__(self, context: Context, size: int) -> None:
        self.context = context
        self.dead = np.zeros(size, bool)
        self.evidence = np.zeros(size, bool)
        self.explained: defaultdict[int, set[Unit]] = defaultdict(set)
        self.undetermined: dict[Unit, np.ndarray] = {}

    def alive(self, rows: np.ndarray) -> bool:
        """Whether any of these candidates is still uncontradicted."""
        return not bool(self.dead[rows].all())

    def record(
        self,
        rows: np.ndarray,
        unit: Unit,
        stack: np.ndarray,
        unsettled: np.ndarray | None = None,
        telling: bool = True,
    ) -> Judgement | None:
        """Judge the candidates ``rows`` (one stack row each) at ``unit``; ``unsettled`` rows
        count as undefined there (their value depends on rounding); when not ``telling``
        (a degenerate candidate, e.g. every element its own group) a match is no evidence."""
        if not self.context.analysed(unit[0]):
            return None
        verdict = judge(stack, self.context, unit)
        defined = verdict.defined if unsettled is None else verdict.defined & ~unsettled
        self.dead[rows[defined & verdict.differs & ~verdict.matches]] = True
        if unit in self.context.failing:
            explains = verdict.matches & verdict.differs
            for row in rows[explains]:
                self.explained[int(row)].add(unit)
            settled = (
                verdict.finite_differs if unsettled is None else verdict.finite_differs & ~unsettled
            )
            self.evidence[rows[explains & settled]] |= telling
            self.undetermine(rows[~defined & ~verdict.matches], unit)
        return verdict

    def undetermine(self, rows: np.ndarray, unit: Unit) -> None:
        """These candidates say nothing about ``unit`` (a failing one is then unchecked)."""
        if unit in self.context.failing:
            mask = self.undetermined.setdefault(unit, np.zeros(len(self.dead), bool))
            mask[rows] = True

    def findings(
        self, describe: Callable[[int], tuple[Diagnosis, ...]], authored: bool = False
    ) -> list[Finding]:
        """Every uncontradicted candidate with evidence, described."""
        found = [
            Finding(
                describe(row),
                frozenset(self.explained[row]),
                frozenset(u for u, mask in self.undetermined.items() if mask[row]),
                authored,
            )
            for row in (int(r) for r in np.flatnonzero(self.evidence & ~self.dead))
        ]
        return [f for f in found if f.diagnoses]
