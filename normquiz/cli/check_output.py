"""Printing a check result: a compact case table, then the first failure and the diagnosis."""

from __future__ import annotations

from collections.abc import Sequence

import click

from normquiz.bank.loader import Bank
from normquiz.cli.options import style
from normquiz.drills.results import (
    NOTE_IDS,
    CaseRow,
    CheckResult,
    FirstFailure,
    difference_text,
)
from normquiz.sandbox.supervisor import CapturedOutput

ROW_TEXT = 100  # characters of a failure's message shown in the case table
STATUS_COLOURS = {
    "pass": "green",
    "fail": "red",
    "error": "red",
    "timeout": "yellow",
    "memory": "yellow",
}


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
    click.echo(
        style(
            f"{result.drill}: {result.status.upper()}", fg=STATUS_COLOURS[result.status], bold=True
        )
        + f"  ({result.time_s:.2f} s)  {result.path}"
    )
    click.echo(f"  {verdict.message}")
    _print_cases(verdict.cases)
    _print_failure(verdict.first_failure)
    for item in verdict.diagnosis:
        heading = "Note" if item.id in NOTE_IDS else f"Diagnosis ({item.id})"
        click.echo("\n" + style(heading, bold=True) + f": {item.message}")
    _print_output(verdict.output)


def _print_cases(cases: Sequence[CaseRow]) -> None:
    if not cases:
        return
    width = max(20, *(len(case.name) for case in cases))
    click.echo(f"\n  {'case':<{width}} {'status':<8} {'max abs err':>12} {'max rel err':>12}")
    for case in cases:
        click.echo(_case_line(case, width))


def _case_line(case: CaseRow, width: int) -> str:
    """Error figures; for a failure without figures (a shape, an error), what went wrong."""
    head = f"  {case.name:<{width}} {case.status:<8}"
    if case.status != "pass" and case.max_abs_err is None and case.message:
        line = case.message.splitlines()[0]
        return f"{head} {line if len(line) <= ROW_TEXT else line[: ROW_TEXT - 3] + '...'}"
    return f"{head} {_number(case.max_abs_err):>12} {_number(case.max_rel_err):>12}"


def _print_failure(failure: FirstFailure | None) -> None:
    if failure is None:
        return
    click.echo("\n" + style("First failing case", bold=True) + f": {failure.case}")
    if failure.inputs:
        dtype = f" ({failure.dtype})" if failure.shapes else ""
        click.echo(f"  inputs{dtype}: {', '.join(failure.inputs)}")
    click.echo("  " + _failure_text(failure).replace("\n", "\n  "))
    if failure.tolerance:
        atol, rtol = failure.tolerance.atol, failure.tolerance.rtol
        click.echo(f"  tolerance: atol {atol:g}, rtol {rtol:g}")


def _failure_text(failure: FirstFailure) -> str:
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
    click.echo("\n" + style("Your code printed", bold=True) + f" ({output.bytes} bytes):")
    click.echo(output.head.rstrip())
    if output.omitted_bytes:
        click.echo(f"... [{output.omitted_bytes} bytes omitted] ...")
    if output.tail:
        click.echo(output.tail.rstrip())
