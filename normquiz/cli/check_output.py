"""Printing a check result: a compact case table, then the first failure and the diagnosis."""

from __future__ import annotations

from collections.abc import Sequence

import click

from normquiz.cli.options import style
from normquiz.drills.results import CheckResult, FirstFailure
from normquiz.sandbox.supervisor import CapturedOutput

STATUS_COLOURS = {
    "pass": "green",
    "fail": "red",
    "error": "red",
    "timeout": "yellow",
    "memory": "yellow",
}


def record_and_warn(results: Sequence[CheckResult]) -> None:
    """Save attempts and passes; an unusable progress store only warns."""
    from normquiz.drills.attempts import record_results

    warning = record_results(results)
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
    if verdict.cases:
        click.echo(f"\n  {'case':<20} {'status':<8} {'max abs err':>12} {'max rel err':>12}")
        for case in verdict.cases:
            click.echo(
                f"  {case.name:<20} {case.status:<8} {_number(case.max_abs_err):>12} "
                f"{_number(case.max_rel_err):>12}"
            )
    _print_failure(verdict.first_failure)
    for item in verdict.diagnosis:
        click.echo("\n" + style("Diagnosis", bold=True) + f" ({item.id}): {item.message}")
    _print_output(verdict.output)


def _print_failure(failure: FirstFailure | None) -> None:
    if failure is None:
        return
    click.echo("\n" + style("First failing case", bold=True) + f": {failure.case}")
    if failure.shapes:
        shapes = ", ".join(str(tuple(s)) for s in failure.shapes)
        click.echo(f"  inputs: {failure.dtype}, shapes {shapes}")
    if failure.index is not None and failure.expected is not None and failure.got is not None:
        click.echo(
            f"  {failure.output or 'out'}: worst element at index {failure.index}: "
            f"expected {failure.expected:.8g}, got {failure.got:.8g}"
        )
        if failure.tolerance:
            click.echo(f"  tolerance: atol {failure.tolerance.atol}, rtol {failure.tolerance.rtol}")
    else:
        prefix = f"{failure.output}: " if failure.output else ""
        click.echo("  " + prefix + failure.message.replace("\n", "\n  "))


def _print_output(output: CapturedOutput | None) -> None:
    if not output or not output.bytes:
        return
    click.echo("\n" + style("Your code printed", bold=True) + f" ({output.bytes} bytes):")
    click.echo(output.head.rstrip())
    if output.omitted_bytes:
        click.echo(f"... [{output.omitted_bytes} bytes omitted] ...")
    if output.tail:
        click.echo(output.tail.rstrip())
