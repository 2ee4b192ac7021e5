"""normquiz watch: re-check a drill on every save, rustlings-style."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import DRILL_ID, bank_option, dir_option, timeout_option

if TYPE_CHECKING:
    from normquiz.bank.drill_schema import Drill
    from normquiz.bank.loader import Bank


@click.command(short_help=summary("watch"))
@click.argument("drill_id", required=False, type=DRILL_ID)
@dir_option
@timeout_option
@bank_option
def watch(
    drill_id: str | None, directory: Path | None, timeout: float, banks: tuple[Path, ...]
) -> None:
    """Re-check DRILL_ID (default: the first drill not done) every time you save its file.

    The screen shows the task (title, progress, prompt, the signature to write, the file)
    and the last verdict; "checking..." while a check runs.

    \b
    Keys:
      n  the next drill not done (it never advances by itself)
      l  a list of the drills: type to filter, Up/Down, Enter opens, Esc back
      h  the next hint (hints stay on screen; Esc hides them)
      r  re-check now          x  reset the file to the starter (asks; keeps a backup)
      s  after a pass: your file against the reference solution, then the solution
      q  quit (cancels a check under way at once); Ctrl-C too
      Up/Down, PgUp/PgDn, Home/End  scroll when the terminal is short

    With TERM=dumb, or when the output is not a terminal, watch prints plain lines (no
    escape codes): the task (p prints it again), then each verdict as it comes.

    \b
    Examples:
      normquiz watch
      normquiz watch bn-running-stats
      normquiz watch bn-forward --dir ~/drills
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.status import first_open

    bank = load_bank(banks)
    first = bank.find_drill(drill_id) if drill_id else first_open(bank)
    run_watch(bank, first, directory, timeout)


def run_watch(bank: Bank, first: Drill, directory: Path | None, timeout: float) -> None:
    """Watch ``first`` until the learner quits (also used by `review` for a due drill).
    Ctrl-C raises KeyboardInterrupt once the terminal is restored and nothing is running."""
    from normquiz.cli.keys import KeyReader
    from normquiz.cli.watch_view import make_view
    from normquiz.drills.checking import BackgroundCheck
    from normquiz.drills.watch import WatchLoop
    from normquiz.drills.worker import grading_worker

    checks = BackgroundCheck(bank, timeout, grading_worker)
    with KeyReader() as keys:
        view = make_view(keys)
        try:
            path = WatchLoop(bank, checks, view, directory).run(first, keys)
        finally:
            view.close()
    click.echo(f"Stopped watching; your work is saved in {path}")
