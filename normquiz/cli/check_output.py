"""Printing a check result: a compact case table, then the first failure and the diagnosis.

Laid out by rich (``cli.prose``): prose wraps at words, numbers are never split (on a
terminal too narrow for the table each case is one wrapped line), colour only where the
terminal takes it."""

from __future__ import annotations

from collections.abc import Sequence

import click

from normquiz.bank.loader import Bank
from normquiz.cli.prose import Column, echo, fits, indented, paragraph, styled_text, table
from normquiz.drills.results import (
    NOTE_IDS,
    CaseRow,
    CheckResult,
    FirstFailure,
    difference_text,
)
from normquiz.sandbox.supervisor import CapturedOutput

STATUS_COLOURS = {
    "pass": "green",
    "fail": "red",
    "error": "red",
    "timeout": "yellow",
    "memory": "yellow",
}
CASE_COLUMNS = [
    Column("case", wraps=True),
    Column("status"),
    Column("max abs err", right=True),
    Column("max rel err", right=True),
]


def record_and_warn(bank: Bank, results: Sequence[CheckResult]) -> None:
    """Save attempts and passes; an unusable progress store only warns."""
    from normquiz.drills.attempts import record_results

    warning = record_results(bank, results)
    if warning:
        click.echo(f"warning: {warning}", err=True)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2e}"


def print_result(result: CheckResult) -> None:
    verdict = result.verdict
    status = styled_text(f"{result.drill}: {result.status.upper()}", STATUS_COLOURS[result.status])
    echo(paragraph(status.append(f"  ({result.time_s:.2f} s)  {result.path}")))
    echo(paragraph(verdict.message, indent=2))
    _print_cases(verdict.cases)
    _print_failure(verdict.first_failure)
    for item in verdict.diagnosis:
        heading = "Note" if item.id in NOTE_IDS else f"Diagnosis ({item.id})"
        click.echo()
        echo(paragraph(item.message, styled_text(f"{heading}:")))
    _print_output(verdict.output)


def _print_cases(cases: Sequence[CaseRow]) -> None:
    """A table of the cases; where it does not fit, one wrapped line per case."""
    if not cases:
        return
    rows = [_case_row(case) for case in cases]
    columns = CASE_COLUMNS + ([Column("", wraps=True)] if any(row[4] for row in rows) else [])
    rows = [row[: len(columns)] for row in rows]
    click.echo()
    if fits(columns, rows, indent=2, whole=False):
        echo(indented(table(columns, rows), 2))
    else:  # too narrow for the table
        echo(paragraph("each case: status; max abs err, max rel err", indent=2))
        echo(*[paragraph(_case_text(case), indent=2) for case in cases])


def _case_row(case: CaseRow) -> list[str]:
    """Error figures; for a failure without figures (a shape, an error), what went wrong."""
    if case.status != "pass" and case.max_abs_err is None and case.message:
        return [case.name, case.status, "", "", case.message.splitlines()[0]]
    return [case.name, case.status, _number(case.max_abs_err), _number(case.max_rel_err), ""]


def _case_text(case: CaseRow) -> str:
    name, status, abs_err, rel_err, message = _case_row(case)
    return f"{name}: {status}" + (f", {message}" if message else f"; abs {abs_err}, rel {rel_err}")


def _print_failure(failure: FirstFailure | None) -> None:
    if failure is None:
        return
    click.echo()
    echo(paragraph(failure.case, styled_text("First failing case:")))
    lines = []
    if failure.inputs:
        dtype = f" ({failure.dtype})" if failure.shapes else ""
        lines.append(paragraph(", ".join(failure.inputs), f"inputs{dtype}:", indent=2))
    lines += [paragraph(line, indent=2) for line in failure_text(failure).splitlines()]
    if failure.tolerance:
        atol, rtol = failure.tolerance.atol, failure.tolerance.rtol
        lines.append(paragraph(f"atol {atol:g}, rtol {rtol:g}", "tolerance:", indent=2))
    echo(*lines)


def failure_text(failure: FirstFailure) -> str:
    """The worst element, as numbers told apart or as names; else the failure's message."""
    prefix = f"{failure.output}: " if failure.output else ""
    expected, got = failure.expected, failure.got
    if isinstance(expected, str) or isinstance(got, str):
        return f"{prefix}expected {expected}, got {got}"
    if expected is None or got is None:
        return prefix + failure.message
    where = "" if failure.index is None else f"worst element at index {failure.index}: "
    return prefix + where + difference_text(expected, got)


def _print_output(output: CapturedOutput | None) -> None:
    if not output or not output.bytes:
        return
    click.echo()
    echo(paragraph(styled_text("Your code printed").append(f" ({output.bytes} bytes):")))
    click.echo(output.head.rstrip())  # as your code printed it: never reflowed
    if output.omitted_bytes:
        click.echo(f"... [{output.omitted_bytes} bytes omitted] ...")
    if output.tail:
        click.echo(output.tail.rstrip())
