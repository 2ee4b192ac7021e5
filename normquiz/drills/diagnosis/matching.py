"""Diagnosing a failing submission: the bank's mistake files and the computed families are
judged output by output, and the mistakes that explain the failures are named."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.diagnosis.context import Context, Outputs, Reference
from normquiz.drills.diagnosis.families import family_findings
from normquiz.drills.diagnosis.ledger import Finding, Ledger
from normquiz.drills.diagnosis.selection import select
from normquiz.drills.request import CheckRequest, MistakeRef
from normquiz.drills.results import Diagnosis

MistakeOutputs = Callable[[MistakeRef], Sequence[Outputs | None]]


def diagnose(
    request: CheckRequest,
    cases: Sequence[Case],
    references: Sequence[Reference],
    outputs: Sequence[Outputs | None],
    mistake_outputs: MistakeOutputs,
) -> tuple[Diagnosis, ...]:
    """The known mistakes a failing submission makes (see the package's docstring)."""
    context = Context.build(request, cases, references, outputs)
    if not context.failing:
        return ()
    findings = bank_findings(context, mistake_outputs) + family_findings(context)
    return select(context, findings, [m.id for m in request.mistakes])


def bank_findings(context: Context, mistake_outputs: MistakeOutputs) -> list[Finding]:
    """The bank's mistake files, each judged on every unit where it ran."""
    mistakes = context.request.mistakes
    ledger = Ledger(context, len(mistakes))
    for row, mistake in enumerate(mistakes):
        theirs = mistake_outputs(mistake)
        rows = np.asarray([row])
        for index, outputs in enumerate(theirs):
            if outputs is None or len(outputs) != len(context.references[index]):
                continue
            for k, array in enumerate(outputs):
                ledger.record(rows, (index, k), np.asarray(array, np.float64)[np.newaxis])
    return ledger.findings(
        lambda row: (Diagnosis(mistakes[row].id, mistakes[row].explanation),), authored=True
    )
