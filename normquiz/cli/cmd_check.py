"""normquiz check: grade a drill file against PyTorch."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import DRILL_ID, bank_option, dir_option, print_json, timeout_option
from normquiz.drills.limits import DEFAULT_MEMORY_MB, MAX_MEMORY_MB, MIN_MEMORY_MB
from normquiz.exceptions import UsageError

if TYPE_CHECKING:
    from normquiz.bank.drill_schema import Drill
    from normquiz.bank.loader import Bank
    from normquiz.drills.results import CheckResult


@click.command(short_help=summary("check"))
@click.argument("drill_id", required=False, type=DRILL_ID)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--all", "check_all", is_flag=True, help="Grade every drill file in the workspace.")
@click.option("--solutions", is_flag=True, help="Grade every bundled reference solution.")
@dir_option
@timeout_option
@click.option(
    "--memory-mb",
    type=click.IntRange(min=MIN_MEMORY_MB, max=MAX_MEMORY_MB),
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    help="Address-space limit for your code's process.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed for the generated cases (0 or more).",
)
@bank_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(
    drill_id: str | None,
    path: Path | None,
    check_all: bool,
    solutions: bool,
    directory: Path | None,
    timeout: float,
    memory_mb: int,
    seed: int,
    banks: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Grade PATH (default: the drill's file in your workspace, or in DIR with --dir)
    against PyTorch.

    Exit 0 when it passes, 1 when it fails (wrong values, an error, a time-out or the
    memory limit), 2 for a usage error (unknown drill, missing file). With --all or
    --solutions, a file that cannot be read (a directory, say) is one line on stderr, the
    others are still checked, and the exit code is 1.

    \b
    Examples:
      normquiz check bn-forward
      normquiz check bn-forward ~/drafts/bn.py --json
      normquiz check bn-forward --dir ~/drills     # grades ~/drills/bn-forward.py
      normquiz check --all
      normquiz check --solutions --json
    """
    from normquiz.drills.worker import grading_worker

    with grading_worker() as worker:  # started first: torch loads while the bank does
        from normquiz.bank.loader import load_bank
        from normquiz.drills.check import check_file

        bank = load_bank(banks)
        targets = _targets(bank, drill_id, path, check_all, solutions, directory)
        grade = partial(
            check_file, bank, worker=worker, seed=seed, timeout=timeout, memory_mb=memory_mb
        )
        many = check_all or solutions
        results, unchecked = _check_each(targets, grade, many)
    if not solutions:
        from normquiz.cli.check_output import record_and_warn

        record_and_warn(bank, results)
    if as_json:
        _print_json(results, unchecked, many)
    else:
        _print_all(results, len(unchecked))
    raise SystemExit(0 if all(r.passed for r in results) and not unchecked else 1)


@dataclass(frozen=True)
class Unchecked:
    """A drill file `check --all` or `--solutions` could not read, and why."""

    drill: str
    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"drill": self.drill, "path": self.path, "message": self.message}


def _check_each(
    targets: list[tuple[Drill, Path]], grade: Callable[[Drill, Path], CheckResult], many: bool
) -> tuple[list[CheckResult], list[Unchecked]]:
    """Grade each target. With several, a file that cannot be read is one line on stderr
    and the others are still checked; alone, it is the command's usage error."""
    results: list[CheckResult] = []
    unchecked: list[Unchecked] = []
    for drill, file in targets:
        try:
            results.append(grade(drill, file))
        except UsageError as error:
            if not many:
                raise
            click.echo(f"Error: {drill.id}: not checked: {error}", err=True)
            unchecked.append(Unchecked(drill.id, str(file), str(error)))
    return results, unchecked


def _targets(
    bank: Bank,
    drill_id: str | None,
    path: Path | None,
    check_all: bool,
    solutions: bool,
    directory: Path | None,
) -> list[tuple[Drill, Path]]:
    from normquiz.drills.workspace import workspace_entries, workspace_file

    if path and directory:
        raise UsageError("give PATH or --dir, not both (--dir DIR grades DIR/DRILL_ID.py)")
    if check_all or solutions:
        if drill_id or path or (solutions and directory):
            raise UsageError("--all takes no DRILL_ID or PATH; --solutions none, nor --dir")
        if solutions:
            return [(d, bank.drill_file(d.id, d.solution)) for d in bank.drills.values()]
        found = workspace_entries(bank.drills.values(), directory)
        if not found:
            first = next(iter(bank.drills), "bn-forward")
            raise UsageError(
                f"no drill files in {directory or 'the workspace'} yet; start one with "
                f"`normquiz drill {first}{_dir_arg(directory)}`"
            )
        return found
    if not drill_id:
        raise UsageError("give a DRILL_ID (see `normquiz list --type drill`), --all or --solutions")
    drill = bank.find_drill(drill_id)
    target = path or workspace_file(drill, directory)
    if path is None and not os.path.lexists(target):
        raise UsageError(
            f"no such file: {target}; start the drill with "
            f"`normquiz drill {drill.id}{_dir_arg(directory)}`"
        )
    return [(drill, target)]


def _dir_arg(directory: Path | None) -> str:
    """`` --dir DIR`` for a command to copy, quoted for the shell; empty without one."""
    return f" --dir {shlex.quote(str(directory))}" if directory else ""


def _print_json(results: list[CheckResult], unchecked: list[Unchecked], many: bool) -> None:
    if many:
        print_json(
            {
                "results": [r.to_json() for r in results],
                "unchecked": [u.to_json() for u in unchecked],
            }
        )
    else:
        print_json(results[0].to_json())


def _print_all(results: list[CheckResult], unchecked: int) -> None:
    from normquiz.cli.check_output import print_result

    for index, result in enumerate(results):
        if index:
            click.echo()
        print_result(result)
    if len(results) + unchecked > 1:
        passed = sum(r.passed for r in results)
        note = f" ({unchecked} not checked)" if unchecked else ""
        click.echo(f"\n{passed} of {len(results) + unchecked} passed{note}")
