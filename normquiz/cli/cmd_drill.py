"""normquiz drill / hint / reset / solution: the rustlings-style drill loop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import bank_option, dir_option, print_json, style
from normquiz.exceptions import NormquizError, NotPassedYet, UsageError

if TYPE_CHECKING:
    from normquiz.bank.drill_schema import Drill
    from normquiz.bank.loader import Bank


@click.command(short_help=summary("drill"))
@click.argument("drill_id", required=False)
@dir_option
@click.option("--edit", is_flag=True, help="Open the file in $VISUAL or $EDITOR.")
@bank_option
@click.option("--json", "as_json", is_flag=True, help="List drills as JSON.")
def drill(
    drill_id: str | None, directory: Path | None, edit: bool, banks: tuple[Path, ...], as_json: bool
) -> None:
    """List drills with their status, or start DRILL_ID: write its starter into your workspace.

    With --edit, your editor opens on the file and the file is graded when it closes.

    \b
    Examples:
      normquiz drill                      # pending, attempted, done
      normquiz drill bn-forward --edit    # start it, edit it, get the verdict
      normquiz check bn-forward           # then grade it (or: normquiz watch bn-forward)
    """
    from normquiz.bank.loader import load_bank

    bank = load_bank(banks)
    if drill_id is None:
        _list(bank, as_json)
        return
    from normquiz.drills.workspace import start
    from normquiz.quiz.layout import reflow

    spec = bank.find_drill(drill_id)
    started = start(bank, spec, directory)
    click.echo(
        style(f"{spec.id}: {spec.title}", bold=True)
        + f"  ({spec.topic}, difficulty {spec.difficulty})\n"
    )
    click.echo(reflow(spec.prompt).rstrip())
    state = "written from the starter" if started.created else "already there, left as it is"
    click.echo(f"\nYour file: {started.path}  ({state})")
    click.echo(
        f"Next: edit it, then `normquiz check {spec.id}` or `normquiz watch {spec.id}`; "
        f"`normquiz hint {spec.id}` when stuck."
    )
    if edit:
        _edit_then_check(bank, spec, started.path)


def edit_drill(bank: Bank, spec: Drill) -> None:
    """Start ``spec`` in the workspace, open the editor, grade the file when it closes."""
    from normquiz.drills.workspace import start

    _edit_then_check(bank, spec, start(bank, spec).path)


def _edit_then_check(bank: Bank, spec: Drill, path: Path) -> None:
    from normquiz.cli.check_output import print_result, record_and_warn
    from normquiz.drills.editing import edit_then_check

    result = edit_then_check(bank, spec, path)
    click.echo()
    print_result(result)
    record_and_warn(bank, [result])


def _list(bank: Bank, as_json: bool) -> None:
    from normquiz.drills.status import drill_statuses

    rows = drill_statuses(bank)
    if as_json:
        print_json({"drills": [row.to_json() for row in rows]})
        return
    click.echo(f"  {'status':<10} {'drill':<22} {'topic':<8} {'level':<5} title")
    for row in rows:
        click.echo(
            f"  {row.status:<10} {row.id:<22} {row.topic:<8} {row.difficulty:<5} {row.title}"
        )
    done = sum(row.status == "done" for row in rows)
    click.echo(f"\n{done} of {len(rows)} done. Start one with `normquiz drill ID`.")


@click.command(short_help=summary("hint"))
@click.argument("drill_id")
@bank_option
def hint(drill_id: str, banks: tuple[Path, ...]) -> None:
    """Reveal the next hint of DRILL_ID (the first is a nudge, the last nearly the answer).

    \b
    Example:
      normquiz hint bn-forward
    """
    from normquiz.bank.loader import load_bank
    from normquiz.progress.store import ProgressStore

    spec = load_bank(banks).find_drill(drill_id)
    with ProgressStore.open() as store:
        revealed = store.reveal_hint(spec.id, len(spec.hints))
    for number, text in enumerate(spec.hints[:revealed], start=1):
        click.echo(f"Hint {number}/{len(spec.hints)}: {text}")
    if revealed == len(spec.hints):
        click.echo("(that was the last hint)")


@click.command(short_help=summary("reset"))
@click.argument("drill_id", required=False)
@click.option("--all", "reset_all", is_flag=True, help="Reset every drill in the workspace.")
@click.option("--yes", is_flag=True, help="Do not ask.")
@dir_option
@bank_option
def reset(
    drill_id: str | None,
    reset_all: bool,
    yes: bool,
    directory: Path | None,
    banks: tuple[Path, ...],
) -> None:
    """Put a drill's starter back in your workspace (your file is kept as a backup).

    \b
    Examples:
      normquiz reset bn-forward
      normquiz reset --all --yes
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.workspace import reset as reset_file

    bank = load_bank(banks)
    if reset_all == (drill_id is not None):
        raise UsageError("give a DRILL_ID or --all")
    drills = list(bank.drills.values()) if drill_id is None else [bank.find_drill(drill_id)]
    what = "every drill file" if reset_all else f"{drills[0].id}"
    if not yes and not click.confirm(f"Reset {what} to the starter? (your file is backed up)"):
        raise SystemExit(1)
    for spec in drills:
        backup = reset_file(bank, spec, directory)
        click.echo(f"{spec.id}: reset" + (f"; your previous file is in {backup}" if backup else ""))


@click.command(short_help=summary("solution"))
@click.argument("drill_id")
@click.option("--force", is_flag=True, help="Show it even if you have not passed the drill yet.")
@bank_option
def solution(drill_id: str, force: bool, banks: tuple[Path, ...]) -> None:
    """Show the reference solution of DRILL_ID, once you have passed it. Your next pass
    of the drill is then rated Again in review: you have just read the answer.

    \b
    Example:
      normquiz solution bn-forward
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.status import has_passed

    bank = load_bank(banks)
    spec = bank.find_drill(drill_id)
    passed = has_passed(spec.id)
    if not passed and not force:
        raise NotPassedYet(
            f"pass {spec.id} first (`normquiz check {spec.id}`), or use "
            "--force: reading the answer before trying teaches much less"
        )
    from normquiz.drills.attempts import note_solution_shown

    if not passed:
        click.echo("warning: you have not passed this drill yet.", err=True)
    text = _solution_text(bank, spec).rstrip()
    if warning := note_solution_shown(spec.id):
        click.echo(f"warning: {warning}", err=True)
    click.echo(text)


def _solution_text(bank: Bank, spec: Drill) -> str:
    path = bank.drill_file(spec.id, spec.solution)
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise NormquizError(
            f"{spec.id}: cannot read its solution {path}: {error.strerror}"
        ) from None
