"""Printing a check result: a compact case table, then the first failure and the diagnosis."""

from __future__ import annotations

import click

from normquiz.cli.options import style

STATUS_COLOURS = {"pass": "green", "fail": "red", "error": "red", "timeout": "yellow", "memory": "yellow"}


def record_and_warn(results: list[dict]) -> None:
    """Save attempts and passes; an unusable progress store only warns."""
    from normquiz.drills.attempts import record_results

    warning = record_results(results)
    if warning:
        click.echo(f"warning: {warning}", err=True)


def _number(value: object) -> str:
    return "-" if value is None else f"{value:.2e}"


def print_result(result: dict) -> None:
    status = result["status"]
    click.echo(style(f"{result['drill']}: {status.upper()}", fg=STATUS_COLOURS[status], bold=True)
               + f"  ({result['time_s']:.2f} s)  {result['path']}")
    click.echo(f"  {result['message']}")
    if result["cases"]:
        click.echo(f"\n  {'case':<20} {'status':<8} {'max abs err':>12} {'max rel err':>12}")
        for case in result["cases"]:
            click.echo(f"  {case['name']:<20} {case['status']:<8} {_number(case['max_abs_err']):>12} "
                       f"{_number(case['max_rel_err']):>12}")
    _print_failure(result.get("first_failure"))
    for item in result.get("diagnosis") or []:
        click.echo("\n" + style("Diagnosis", bold=True) + f" ({item['id']}): {item['message']}")
    _print_output(result.get("output"))


def _print_failure(failure: dict | None) -> None:
    if not failure:
        return
    click.echo("\n" + style("First failing case", bold=True) + f": {failure['case']}")
    if failure.get("shapes"):
        shapes = ", ".join(str(tuple(s)) for s in failure["shapes"])
        click.echo(f"  inputs: {failure.get('dtype')}, shapes {shapes}")
    if failure.get("index") is not None:
        click.echo(f"  {failure.get('output', 'out')}: worst element at index {tuple(failure['index'])}: "
                   f"expected {failure['expected']:.8g}, got {failure['got']:.8g}")
        tol = failure.get("tolerance") or {}
        click.echo(f"  tolerance: atol {tol.get('atol')}, rtol {tol.get('rtol')}")
    else:
        prefix = f"{failure['output']}: " if failure.get("output") else ""
        click.echo("  " + prefix + failure["message"].replace("\n", "\n  "))


def _print_output(output: dict | None) -> None:
    if not output or not output.get("bytes"):
        return
    click.echo("\n" + style("Your code printed", bold=True) + f" ({output['bytes']} bytes):")
    click.echo(output["head"].rstrip())
    if output.get("omitted_bytes"):
        click.echo(f"... [{output['omitted_bytes']} bytes omitted] ...")
    if output.get("tail"):
        click.echo(output["tail"].rstrip())
