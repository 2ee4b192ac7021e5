"""Grading a learner file: the worker's "check" operation.

References and the known mistakes' outputs are computed here, in the worker, where learner
code never ran; the learner's code runs in a sandbox child (``learner_child``) that only
writes plain arrays back. The verdict is decided here.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.compare import Comparison, compare, tolerance_for
from normquiz.drills.diagnosis import diagnose
from normquiz.drills.learner_child import CaseReport, LearnerReport, LearnerRun, output_file
from normquiz.drills.protocols import PROTOCOLS
from normquiz.drills.registry import CASE_GENERATORS, REFERENCES, resolve
from normquiz.drills.request import CheckRequest
from normquiz.drills.results import (
    CaseRow,
    FirstFailure,
    Status,
    Tolerance,
    Verdict,
    banned_diagnosis,
)
from normquiz.sandbox.child import ChildReport
from normquiz.sandbox.jobs import SandboxJob
from normquiz.sandbox.supervisor import ChildRun

Reference = list[tuple[str, np.ndarray]]
Outputs = list[np.ndarray]


def warm() -> None:
    """Run once when a grading worker starts: torch and numpy loaded, one thread."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch

    torch.set_num_threads(1)  # no OpenMP pool: forking a child stays safe
    torch.nn.functional.batch_norm(torch.zeros(2, 1), None, None, training=True)


def check_operation(payload: dict[str, Any]) -> dict[str, Any]:
    """The worker's "check" operation: a CheckRequest in, a Verdict out."""
    return grade(CheckRequest.from_json(payload)).to_json()


@lru_cache(maxsize=32)
def prepared(cases_name: str, reference_name: str, seed: int) -> tuple[list[Case], list[Reference]]:
    """The cases and the torch reference outputs, computed once per drill and seed."""
    cases: list[Case] = resolve(CASE_GENERATORS, cases_name)(seed)
    reference = resolve(REFERENCES, reference_name)
    return cases, [reference(case) for case in cases]


def grade(request: CheckRequest) -> Verdict:
    cases, references = prepared(request.cases, request.reference, request.seed)
    with SandboxJob("check") as job:
        learner = LearnerRun(
            Path(request.path).resolve(),
            request.function,
            PROTOCOLS[request.protocol],
            cases,
            request.banned,
            job.directory,
        )
        run = job.run(learner.body, request.timeout, request.memory_mb)
        child = job.report()
        report = _learner_report(child)
        outputs = _load_outputs(job.directory, report, len(cases))
    verdict = _verdict(request, run, child, report, cases, references, outputs)
    return verdict.with_output(run.output, run.seconds)


def _learner_report(child: ChildReport | None) -> LearnerReport | None:
    """The learner child's own report, when its body ran to the end."""
    if child is None or child.body is None:
        return None
    return LearnerReport.from_json(child.body)


def _load_outputs(job_dir: Path, report: LearnerReport | None, count: int) -> list[Outputs | None]:
    outputs: list[Outputs | None] = [None] * count
    for entry in report.cases if report else ():
        if entry.outputs is not None:
            outputs[entry.index] = [
                np.load(output_file(job_dir, entry.index, k), allow_pickle=False)
                for k in range(entry.outputs)
            ]
    return outputs


def _verdict(
    request: CheckRequest,
    run: ChildRun,
    child: ChildReport | None,
    report: LearnerReport | None,
    cases: list[Case],
    references: list[Reference],
    outputs: list[Outputs | None],
) -> Verdict:
    if run.timed_out:
        return Verdict(
            "timeout",
            f"your code did not finish within {request.timeout:g} s "
            "(import and all cases); look for an endless loop",
        )
    if child is not None and child.harness_error:
        return Verdict("error", f"the check could not run your code: {child.harness_error}")
    if report is None:
        return Verdict("error", _death_message(run))
    if report.banned:  # checked first: a ban may also surface as an import error
        names = ", ".join(report.banned)
        return Verdict(
            "fail",
            f"your code called {names}, which this drill bans",
            diagnosis=(banned_diagnosis(names),),
        )
    if report.import_error:
        return Verdict("memory" if report.memory else "error", report.import_error)
    return _compare_cases(request, report, cases, references, outputs)


def _death_message(run: ChildRun) -> str:
    if run.signal is not None:
        name = signal.Signals(run.signal).name
        return (
            f"the process running your code was killed by {name} before it finished "
            "(did your code kill its own process, or run out of memory?)"
        )
    return (
        f"your code ended its process (exit code {run.exit_code}) before the check could "
        "collect results: os._exit() or a crash"
    )


VERBS = {
    "fail": "did not match",
    "error": "raised an error or did not match",
    "memory": "ran out of memory or did not match",
}


def _compare_cases(
    request: CheckRequest,
    report: LearnerReport,
    cases: list[Case],
    references: list[Reference],
    outputs: list[Outputs | None],
) -> Verdict:
    entries = {entry.index: entry for entry in report.cases}
    rows: list[CaseRow] = []
    first: FirstFailure | None = None
    for index, (case, reference) in enumerate(zip(cases, references, strict=True)):
        row, failure = _case_row(request, case, reference, entries.get(index), outputs[index])
        rows.append(row)
        first = first or failure
    status = _overall({row.status for row in rows})
    if status == "pass":
        return Verdict("pass", f"all {len(rows)} cases match PyTorch", tuple(rows))
    failed = [row.name for row in rows if row.status != "pass"]
    message = f"{len(failed)} of {len(rows)} cases {VERBS[status]}: {', '.join(failed[:6])}" + (
        ", ..." if len(failed) > 6 else ""
    )
    diagnosis = diagnose(request, cases, outputs) if status == "fail" else ()
    return Verdict(status, message, tuple(rows), diagnosis, first)


def _overall(statuses: set[Status]) -> Status:
    worst: tuple[Status, ...] = ("memory", "error", "fail")
    return next((status for status in worst if status in statuses), "pass")


def _case_row(
    request: CheckRequest,
    case: Case,
    reference: Reference,
    entry: CaseReport | None,
    got: Outputs | None,
) -> tuple[CaseRow, FirstFailure | None]:
    if entry is None:
        message = "not run (an earlier case stopped the check)"
        return CaseRow(case.name, "error", message), FirstFailure(case.name, message)
    if entry.error is not None or entry.output_error is not None:
        status: Status = "memory" if entry.memory else ("fail" if entry.output_error else "error")
        message = entry.error or entry.output_error or ""
        return CaseRow(case.name, status, message), _failure(case, message)
    if got is None or len(got) != len(reference):
        message = f"returned {len(got or [])} output(s), expected {len(reference)}"
        return CaseRow(case.name, "fail", message), _failure(case, message)
    return _compare_outputs(request, case, reference, got)


def _compare_outputs(
    request: CheckRequest, case: Case, reference: Reference, got: Outputs
) -> tuple[CaseRow, FirstFailure | None]:
    atol, rtol = tolerance_for(request, case)
    results = [
        (name, compare(array, want, atol, rtol))
        for (name, want), array in zip(reference, got, strict=True)
    ]
    abs_err = max((r.max_abs_err or 0.0 for _, r in results), default=0.0)
    rel_err = max((r.max_rel_err or 0.0 for _, r in results), default=0.0)
    worst = next(((name, r) for name, r in results if not r.ok), None)
    if worst is None:
        return CaseRow(case.name, "pass", "", abs_err, rel_err), None
    name, result = worst
    row = CaseRow(case.name, "fail", f"{name}: {result.message}", abs_err, rel_err)
    return row, _value_failure(case, name, result, Tolerance(atol, rtol))


def _failure(case: Case, message: str) -> FirstFailure:
    return FirstFailure(case.name, message, case.dtype, _shapes(case))


def _value_failure(
    case: Case, output: str, result: Comparison, tolerance: Tolerance
) -> FirstFailure:
    return FirstFailure(
        case.name,
        result.message,
        case.dtype,
        _shapes(case),
        output,
        result.index or None,  # a single number has no index: null, and no index is shown
        result.expected,
        result.got,
        result.max_abs_err,
        result.max_rel_err,
        tolerance,
    )


def _shapes(case: Case) -> tuple[tuple[int, ...], ...]:
    arrays: Sequence[np.ndarray] = case.steps[:1] + [
        a for a in case.args if isinstance(a, np.ndarray)
    ]
    return tuple(tuple(int(n) for n in a.shape) for a in arrays)
