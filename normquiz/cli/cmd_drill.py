"""normquiz drill / hint / reset / solution: the rustlings-style drill loop."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import click

from normquiz.cli.options import bank_option, print_json, style

dir_option = click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
                          help="Workspace directory (default: $NORMQUIZ_HOME/workspace).")


@click.command(short_help="List drills, or start one in your workspace.")
@click.argument("drill_id", required=False)
@dir_option
@click.option("--edit", is_flag=True, help="Open the file in $VISUAL or $EDITOR.")
@bank_option
@click.option("--json", "as_json", is_flag=True, help="List drills as JSON.")
def drill(drill_id: str | None, directory: Path | None, edit: bool, banks: tuple[Path, ...],
          as_json: bool) -> None:
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
    from normquiz.drills.check import find_drill
    from normquiz.drills.workspace import start
    from normquiz.quiz.layout import reflow

    spec = find_drill(bank, drill_id)
    started = start(bank, spec, directory)
    click.echo(style(f"{spec.id}: {spec.title}", bold=True) + f"  ({spec.topic}, difficulty {spec.difficulty})\n")
    click.echo(reflow(spec.prompt).rstrip())
    state = "written from the starter" if started.created else "already there, left as it is"
    click.echo(f"\nYour file: {started.path}  ({state})")
    click.echo(f"Next: edit it, then `normquiz check {spec.id}` or `normquiz watch {spec.id}`; "
               f"`normquiz hint {spec.id}` when stuck.")
    if edit:
        _edit_then_check(bank, spec, started.path)


def _edit_then_check(bank, spec, path: Path) -> None:
    """Open the editor while the grader warms up; grade the file when the editor closes."""
    from normquiz.cli.check_output import print_result, record_and_warn
    from normquiz.drills.check import check_file
    from normquiz.sandbox.client import GradingWorker

    with GradingWorker() as worker:
        worker.warm_in_background()
        open_editor(path)
        result = check_file(bank, spec, path, worker)
    click.echo()
    print_result(result)
    record_and_warn([result])


def drill_rows(bank) -> list[dict]:
    from normquiz.progress.store import ProgressStore

    with ProgressStore.open() as store:
        status = store.drill_status()
    return [{"id": d.id, "title": d.title, "topic": d.topic, "difficulty": d.difficulty,
             "status": status.get(d.id, "pending")} for d in bank.drills.values()]


def _list(bank, as_json: bool) -> None:
    rows = drill_rows(bank)
    if as_json:
        print_json(rows)
        return
    click.echo(f"  {'status':<10} {'drill':<22} {'topic':<8} {'level':<5} title")
    for row in rows:
        click.echo(f"  {row['status']:<10} {row['id']:<22} {row['topic']:<8} {row['difficulty']:<5} "
                   f"{row['title']}")
    done = sum(r["status"] == "done" for r in rows)
    click.echo(f"\n{done} of {len(rows)} done. Start one with `normquiz drill ID`.")


def open_editor(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise click.ClickException("set $VISUAL or $EDITOR to open files, e.g. export EDITOR=nano")
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)
    except OSError as error:
        raise click.ClickException(f"cannot start the editor '{editor}': {error.strerror}") from None


@click.command(short_help="Reveal the next hint of a drill.")
@click.argument("drill_id")
@bank_option
def hint(drill_id: str, banks: tuple[Path, ...]) -> None:
    """Reveal the next hint of DRILL_ID (the first is a nudge, the last nearly the answer).

    \b
    Example:
      normquiz hint bn-forward
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.check import find_drill
    from normquiz.progress.store import ProgressStore

    spec = find_drill(load_bank(banks), drill_id)
    with ProgressStore.open() as store:
        revealed = store.reveal_hint(spec.id, len(spec.hints))
    for number, text in enumerate(spec.hints[:revealed], start=1):
        click.echo(f"Hint {number}/{len(spec.hints)}: {text}")
    if revealed == len(spec.hints):
        click.echo("(that was the last hint)")


@click.command(short_help="Put a drill's starter back (your file is backed up).")
@click.argument("drill_id", required=False)
@click.option("--all", "reset_all", is_flag=True, help="Reset every drill in the workspace.")
@click.option("--yes", is_flag=True, help="Do not ask.")
@dir_option
@bank_option
def reset(drill_id: str | None, reset_all: bool, yes: bool, directory: Path | None,
          banks: tuple[Path, ...]) -> None:
    """Put a drill's starter back in your workspace (your file is kept as a backup).

    \b
    Examples:
      normquiz reset bn-forward
      normquiz reset --all --yes
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.check import find_drill
    from normquiz.drills.workspace import reset as reset_file

    bank = load_bank(banks)
    if bool(drill_id) == reset_all:
        raise click.UsageError("give a DRILL_ID or --all")
    drills = list(bank.drills.values()) if reset_all else [find_drill(bank, drill_id)]
    what = "every drill file" if reset_all else f"{drills[0].id}"
    if not yes and not click.confirm(f"Reset {what} to the starter? (your file is backed up)"):
        raise SystemExit(1)
    for spec in drills:
        backup = reset_file(bank, spec, directory)
        click.echo(f"{spec.id}: reset" + (f"; your previous file is in {backup}" if backup else ""))


@click.command(short_help="Show a drill's reference solution once you passed it.")
@click.argument("drill_id")
@click.option("--force", is_flag=True, help="Show it even if you have not passed the drill yet.")
@bank_option
def solution(drill_id: str, force: bool, banks: tuple[Path, ...]) -> None:
    """Show the reference solution of DRILL_ID, once you have passed it.

    \b
    Example:
      normquiz solution bn-forward
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.check import find_drill
    from normquiz.progress.store import ProgressStore

    bank = load_bank(banks)
    spec = find_drill(bank, drill_id)
    with ProgressStore.open() as store:
        passed = store.drill_status().get(spec.id) == "done"
    if not passed and not force:
        raise click.ClickException(f"pass {spec.id} first (`normquiz check {spec.id}`), or use "
                                   "--force: reading the answer before trying teaches much less")
    if not passed:
        click.echo("warning: you have not passed this drill yet.", err=True)
    click.echo(bank.drill_file(spec.id, spec.solution).read_text(encoding="utf-8").rstrip())
