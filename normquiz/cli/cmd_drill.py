"""normquiz drill / hint / reset / solution: the rustlings-style drill loop."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import DRILL_ID, bank_option, dir_option, print_json
from normquiz.exceptions import NormquizError, NotPassedYet, UsageError

if TYPE_CHECKING:
    from normquiz.bank.drill_schema import Drill
    from normquiz.bank.loader import Bank


@click.command(short_help=summary("drill"))
@click.argument("drill_id", required=False, type=DRILL_ID)
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
    from normquiz.cli.prose import bold, echo, echo_fragments, paragraph
    from normquiz.drills.workspace import start
    from normquiz.quiz.markdown import markdown

    spec = bank.find_drill(drill_id)
    started = start(bank, spec, directory)
    heading = bold(f"{spec.id}: {spec.title}")
    echo(paragraph(heading.append(f"  ({spec.topic}, difficulty {spec.difficulty})")))
    click.echo()
    echo_fragments(markdown(spec.prompt.strip() + "\n"))
    state = "written from the starter" if started.created else "already there, left as it is"
    click.echo()
    echo(paragraph(f"{started.path}  ({state})", "Your file:"))
    where = f" --dir {shlex.quote(str(directory))}" if directory else ""  # as check/watch need
    next_step = (
        f"edit it, then `normquiz check {spec.id}{where}` or "
        f"`normquiz watch {spec.id}{where}`; `normquiz hint {spec.id}` when stuck."
    )
    echo(paragraph(next_step, "Next:"))
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
    from normquiz.cli.prose import Column, echo, fits, indented, paragraph, table

    columns = [Column(name) for name in ("status", "drill", "topic", "level")]
    cells = [[r.status, r.id, r.topic, str(r.difficulty), r.title] for r in rows]
    columns.append(Column("title", wraps=True))
    listing = table(columns, cells)
    if not fits(columns, cells, indent=2, whole=False):  # narrow: each title under its id
        narrow = [columns[0], Column("drill", wraps=True)]
        listing = table(narrow, [line for c in cells for line in (c[:2], ["", c[4]])])
    echo(indented(listing, 2))
    done = sum(row.status == "done" for row in rows)
    pending = next((row.id for row in rows if row.status != "done"), None)
    suggestion = f" Start one with `normquiz drill {pending}`." if pending else ""
    click.echo()
    echo(paragraph(f"{done} of {len(rows)} done.{suggestion}"))


@click.command(short_help=summary("hint"))
@click.argument("drill_id", type=DRILL_ID)
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
    from normquiz.cli.prose import echo, paragraph

    for number, text in enumerate(spec.hints[:revealed], start=1):
        echo(paragraph(text, f"Hint {number}/{len(spec.hints)}:"))
    if revealed == len(spec.hints):
        click.echo("(that was the last hint)")


@click.command(short_help=summary("reset"))
@click.argument("drill_id", required=False, type=DRILL_ID)
@click.option("--all", "reset_all", is_flag=True, help="Reset every drill in the workspace.")
@click.option("--yes", is_flag=True, help="Do not ask.")
@click.option(
    "--list", "list_only", is_flag=True, help="List the backups (of DRILL_ID), newest first."
)
@dir_option
@bank_option
@click.option("--json", "as_json", is_flag=True, help="Print the backups made or listed as JSON.")
def reset(
    drill_id: str | None,
    reset_all: bool,
    yes: bool,
    list_only: bool,
    directory: Path | None,
    banks: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Put a drill's starter back in your workspace. Your file is first kept as a new backup
    (never overwritten); --list shows the backups and how to copy one back.

    \b
    Examples:
      normquiz reset bn-forward
      normquiz reset --all --yes
      normquiz reset --list bn-forward
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.workspace import reset as reset_file

    bank = load_bank(banks)
    if list_only:
        _list_backups(bank, drill_id, reset_all, directory, as_json)
        return
    if reset_all == (drill_id is not None):
        raise UsageError("give a DRILL_ID or --all")
    drills = list(bank.drills.values()) if drill_id is None else [bank.find_drill(drill_id)]
    what = "every drill file" if reset_all else f"{drills[0].id}"
    if not yes and not click.confirm(f"Reset {what} to the starter? (your file is backed up)"):
        raise SystemExit(1)
    made = []
    for spec in drills:
        backup = reset_file(bank, spec, directory)
        made.append({"drill": spec.id, "backup": str(backup) if backup else None})
        if not as_json:
            click.echo(
                f"{spec.id}: reset" + (f"; your previous file is in {backup}" if backup else "")
            )
    if as_json:
        print_json({"reset": made})
    elif any(row["backup"] for row in made):
        click.echo("`normquiz reset --list` lists every backup, with how to copy one back.")


def _list_backups(
    bank: Bank, drill_id: str | None, reset_all: bool, directory: Path | None, as_json: bool
) -> None:
    """The backups (of one drill, or all), newest first, with where to copy one back."""
    from normquiz.drills.workspace import backups

    if reset_all:
        raise UsageError("--list takes a DRILL_ID or nothing, not --all")
    spec = bank.find_drill(drill_id) if drill_id else None
    found = backups(spec, directory)
    if as_json:
        print_json({"backups": [b.to_json() for b in found]})
        return
    if not found:
        click.echo(f"No backups{f' of {spec.id}' if spec else ''} yet: `normquiz reset` makes one.")
        return
    for drill in dict.fromkeys(b.drill_id for b in found):
        mine = [b for b in found if b.drill_id == drill]
        click.echo(f"{drill}: {len(mine)} backup{'s' * (len(mine) != 1)}, newest first")
        for b in mine:
            click.echo(f"  {b.made:%Y-%m-%d %H:%M:%S}  {b.size:>7,} bytes  {b.path}")
    click.echo(
        "\nTo restore one, copy it back over the drill's file (reset first to keep that "
        f"file as a backup too), e.g.:\n  cp {found[0].path} {found[0].restore_to}"
    )


@click.command(short_help=summary("solution"))
@click.argument("drill_id", type=DRILL_ID)
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
