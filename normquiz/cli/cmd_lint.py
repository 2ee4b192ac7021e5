"""normquiz lint: check the bank strictly."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import bank_option, json_option, no_bundled_option, print_json

if TYPE_CHECKING:
    from normquiz.authoring.lint import LintReport


@click.command(short_help=summary("lint"))
@bank_option
@no_bundled_option
@click.option(
    "--exec",
    "execute",
    is_flag=True,
    help="Also run every verify snippet and every drill's solution, starter and "
    "mistakes through the sandbox.",
)
@json_option
def lint(banks: tuple[Path, ...], no_bundled: bool, execute: bool, as_json: bool) -> None:
    """Check every bank file: schema, duplicate ids, related ids, verify snippets, drill files.

    With --exec, executable answers are run: each verify snippet must succeed and agree with
    the stated answer, each drill's solution must pass, its starter must fail, and each
    listed mistake must fail with its own diagnosis.

    Exit 0 when clean, 1 when problems were found, 2 on a usage error.

    \b
    Examples:
      normquiz lint --bank ~/my-questions --json
      normquiz lint --no-bundled --bank ~/my-questions   # only your own bank
      normquiz lint --exec
    """
    from normquiz.authoring.lint import lint_bank

    def progress(item: str) -> None:
        if execute and not as_json:
            click.echo(f"  running {item}", err=True)

    report = lint_bank(banks, bundled=not no_bundled, execute=execute, progress=progress)
    if as_json:
        print_json(report.as_json())
    else:
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(_summary(report), err=bool(report.problems))
    raise SystemExit(0 if report.ok else 1)


def _summary(report: LintReport) -> str:
    types = ", ".join(f"{n} {t}" for t, n in report.by_type.items()) or "none"
    levels = ", ".join(f"{n} at {d}" for d, n in report.by_difficulty.items()) or "none"
    verdict = "no problems" if report.ok else f"{len(report.problems)} problem(s)"
    return (
        f"{report.questions} questions ({types}; difficulty {levels}), {report.drills} drills, "
        f"{report.with_verify} with verify: {verdict}"
    )
