"""Naming a known mistake: a failing submission is compared with each mistake's outputs.

Runs in the grading worker; the mistake files' outputs come from sandbox children (bank
code never runs in the worker). A mistake is named only when the submission reproduces its
outputs on every case; otherwise no diagnosis is given rather than a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.compare import compare, tolerance_for
from normquiz.drills.request import CheckRequest, MistakeRef
from normquiz.drills.results import Diagnosis

Outputs = list[np.ndarray]


MistakeOutputs = Callable[[MistakeRef], Sequence[Outputs | None]]


def diagnose(
    request: CheckRequest,
    cases: Sequence[Case],
    outputs: Sequence[Outputs | None],
    mistake_outputs: MistakeOutputs,
) -> tuple[Diagnosis, ...]:
    """The first known mistake whose outputs the submission reproduces on every case;
    ``mistake_outputs`` runs a mistake file (bank code) in a sandbox child."""
    if any(o is None for o in outputs):
        return ()
    for mistake in request.mistakes:
        if _matches(request, cases, outputs, mistake_outputs(mistake)):
            return (Diagnosis(mistake.id, mistake.explanation),)
    return ()


def _matches(
    request: CheckRequest,
    cases: Sequence[Case],
    outputs: Sequence[Outputs | None],
    theirs: Sequence[Outputs | None],
) -> bool:
    return all(
        _same(request, case, mine, other)
        for case, mine, other in zip(cases, outputs, theirs, strict=True)
    )


def _same(request: CheckRequest, case: Case, mine: Outputs | None, theirs: Outputs | None) -> bool:
    if mine is None or theirs is None or len(mine) != len(theirs):
        return False
    atol, rtol = tolerance_for(request, case)
    return all(
        compare(a, b, atol, rtol, equal_nan=True).ok for a, b in zip(mine, theirs, strict=True)
    )
