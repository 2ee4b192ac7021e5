"""Grading a learner file: the worker's "check" operation.

Built-in references are computed here, in the worker, where no untrusted code ever runs
(a bank's reference file runs in a sandbox child of its own: ``expected``); the
learner's file and the bank's mistake files run in sandbox children of the zygote
(``runs``), which never held a reference, and only write plain arrays back. The verdict is
decided here, from those arrays; nothing the child claims is taken on trust.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import numpy as np

from normquiz.drills import expected
from normquiz.drills.cases import Case
from normquiz.drills.compare import Comparison, compare, tolerance_for
from normquiz.drills.diagnosis import diagnose
from normquiz.drills.expected import DrillSource, source_of
from normquiz.drills.learner_child import CaseReport, LearnerReport
from normquiz.drills.presentation import answer_names, compare_names, describe_inputs
from normquiz.drills.request import CheckRequest, MistakeRef
from normquiz.drills.results import (
    CaseRow,
    FirstFailure,
    Status,
    Tolerance,
    Verdict,
    banned_diagnosis,
)
from normquiz.drills.runs import FileRun, FileToRun, run_file
from normquiz.exceptions import ReferenceFailed
from normquiz.sandbox.process import signal_name
from normquiz.sandbox.supervisor import ChildRun

Reference = list[tuple[str, np.ndarray]]
Outputs = list[np.ndarray]


def check_operation(payload: dict[str, Any]) -> dict[str, Any]:
    """The worker's "check" operation: a CheckRequest in, a Verdict out."""
    return grade(CheckRequest.from_json(payload)).to_json()


def prepared(cases_name: str, reference_name: str, seed: int) -> tuple[list[Case], list[Reference]]:
    """A built-in drill's cases and torch reference outputs, computed once per seed."""
    return expected.prepared(DrillSource(reference_name, cases_name, seed))


def grade(request: CheckRequest) -> Verdict:
    try:
        cases, references = expected.prepared(source_of(request))
    except ReferenceFailed as failed:
        return Verdict("error", str(failed))
    learner = FileToRun(
        Path(request.path).resolve(),
        request.function,
        request.protocol,
        request.banned,
        request.timeout,
        request.memory_mb,
        request.source,
    )
    ran = run_file(learner, cases, _sizes(references))
    verdict = _verdict(request, ran, cases, references)
    return verdict.with_output(ran.run.output, ran.run.seconds)


def _sizes(references: Sequence[Reference]) -> list[list[int]]:
    return [[array.nbytes for _, array in reference] for reference in references]


def mistake_outputs(request: CheckRequest, mistake: MistakeRef) -> tuple[Outputs | None, ...]:
    """A known mistake's outputs per case (None where it raised or did not run): the bank's
    mistake file runs in a sandbox child like a submission, with the request's limits."""
    path = Path(mistake.path)
    return _mistake_outputs(
        FileToRun(path, request.function, request.protocol, (), request.timeout, request.memory_mb),
        _modified(path),
        source_of(request),
    )


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=128)
def _mistake_outputs(
    spec: FileToRun, modified: float, source: DrillSource
) -> tuple[Outputs | None, ...]:
    del modified  # a key of the cache only: an edited mistake file is run again
    cases, references = expected.prepared(source)
    ran = run_file(spec, cases, _sizes(references))
    if ran.report is None or ran.report.import_error or ran.run.timed_out:
        return (None,) * len(cases)
    return ran.outputs


def _verdict(
    request: CheckRequest, ran: FileRun, cases: list[Case], references: list[Reference]
) -> Verdict:
    report = ran.report
    problem = _process_problem(request, ran)
    if problem is not None:
        return problem
    if report is None:
        return Verdict("error", _death_message(ran.run))
    if report.banned:  # checked first: a ban may also surface as an import error
        names = ", ".join(report.banned)
        message = f"your code called {names}, which this drill bans"
        return Verdict("fail", message, diagnosis=(banned_diagnosis(names),))
    if report.import_error:
        if report.memory:
            return Verdict("memory", _memory_message(request, report.import_error))
        return Verdict("error", report.import_error)
    report = _with_unreadable(report, ran.unreadable)
    return _compare_cases(request, report, cases, references, list(ran.outputs))


def _process_problem(request: CheckRequest, ran: FileRun) -> Verdict | None:
    """How the process running the file failed before it could report, if it did."""
    run, child = ran.run, ran.child
    if run.timed_out:
        return Verdict(
            "timeout",
            f"your code did not finish within {request.timeout:g} s "
            "(import and all cases); look for an endless loop",
        )
    problems = [
        (run.lost, LOST),
        (run.start_error is not None, f"the check could not start a process: {run.start_error}"),
        (
            ran.malformed is not None,
            f"the check could not read what your code wrote: {ran.malformed}",
        ),
        (
            child is not None and child.harness_error is not None,
            f"the check could not run your code: {child.harness_error if child else ''}",
        ),
    ]
    return next((Verdict("error", message) for found, message in problems if found), None)


LOST = (
    "the process supervising your code was killed or stopped before the check ended "
    "(did your code signal its parent?); nothing was recorded"
)


def _memory_message(request: CheckRequest, error: str) -> str:
    return f"ran out of memory (limit {request.memory_mb} MB) while importing your file\n{error}"


def _with_unreadable(report: LearnerReport, unreadable: dict[int, str]) -> LearnerReport:
    """The report with each case whose outputs could not be read marked as such."""
    cases = tuple(
        replace(entry, outputs=None, output_error=unreadable[entry.index])
        if entry.index in unreadable
        else entry
        for entry in report.cases
    )
    return replace(report, cases=cases)


def _death_message(run: ChildRun) -> str:
    if run.signal is not None:
        name = signal_name(run.signal)
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
        truth = "PyTorch" if request.reference_file is None else "the drill's reference"
        return Verdict("pass", f"all {len(rows)} cases match {truth}", tuple(rows))
    failed = [row.name for row in rows if row.status != "pass"]
    message = f"{len(failed)} of {len(rows)} cases {VERBS[status]}: {', '.join(failed[:6])}" + (
        ", ..." if len(failed) > 6 else ""
    )
    if status == "memory":
        message = _out_of_memory(request, rows)
    diagnosis = (
        diagnose(request, cases, references, outputs, partial(mistake_outputs, request))
        if status in ("fail", "error")
        else ()
    )
    return Verdict(status, message, tuple(rows), diagnosis, first)


def _out_of_memory(request: CheckRequest, rows: list[CaseRow]) -> str:
    where = next(row.name for row in rows if row.status == "memory")
    return (
        f"your code ran out of memory (limit {request.memory_mb} MB) on case {where}; the "
        "remaining cases were not run. Look for an array far larger than the input (a "
        "broadcast over the wrong axes, an outer product)"
    )


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
    names = answer_names(request.protocol)
    results = [
        (name, compare_names(array, want, names) if names else compare(array, want, atol, rtol))
        for (name, want), array in zip(reference, got, strict=True)
    ]
    failed = [(name, result) for name, result in results if not result.ok]
    if not failed:
        return CaseRow(case.name, "pass", "", *_largest_errors(results)), None
    # an output without error figures (wrong shape, wrong name) is the one to show
    name, result = next(((n, r) for n, r in failed if r.max_abs_err is None), failed[0])
    errors = _largest_errors(results) if result.max_abs_err is not None else (None, None)
    if names:  # one named answer per case: the name is all there is to say
        row = CaseRow(case.name, "fail", result.message)
        return row, _value_failure(case, name, result, None)
    row = CaseRow(case.name, "fail", f"{name}: {result.message}", *errors)
    return row, _value_failure(case, name, result, Tolerance(atol, rtol))


def _largest_errors(results: list[tuple[str, Comparison]]) -> tuple[float | None, float | None]:
    """The largest errors over all outputs; none when an output has none (shape, name)."""
    absolute = [r.max_abs_err for _, r in results if r.max_abs_err is not None]
    relative = [r.max_rel_err for _, r in results if r.max_rel_err is not None]
    if not absolute or len(absolute) < len(results):
        return None, None
    return max(absolute), max(relative, default=None)


def _failure(case: Case, message: str) -> FirstFailure:
    return FirstFailure(case.name, message, case.dtype, _shapes(case), inputs=describe_inputs(case))


def _value_failure(
    case: Case, output: str, result: Comparison, tolerance: Tolerance | None
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
        describe_inputs(case),
    )


def _shapes(case: Case) -> tuple[tuple[int, ...], ...]:
    arrays: Sequence[np.ndarray] = case.steps[:1] + [
        a for a in case.args if isinstance(a, np.ndarray)
    ]
    return tuple(tuple(int(n) for n in a.shape) for a in arrays)
