"""normquiz watch: re-check a drill on every save, rustlings-style."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import bank_option, dir_option, style, timeout_option

if TYPE_CHECKING:
    from normquiz.bank.drill_schema import Drill
    from normquiz.bank.loader import Bank
    from normquiz.drills.results import CheckResult


@click.command(short_help=summary("watch"))
@click.argument("drill_id", required=False)
@dir_option
@timeout_option
@bank_option
def watch(
    drill_id: str | None, directory: Path | None, timeout: float, banks: tuple[Path, ...]
) -> None:
    """Re-check DRILL_ID (default: the first drill not done) every time you save its file.

    Keys: n next drill (it never advances by itself), h next hint, l list drills,
    r re-check, x reset to the starter (asks first), q quit.

    \b
    Examples:
      normquiz watch
      normquiz watch bn-running-stats
    """
    from normquiz.bank.loader import load_bank
    from normquiz.drills.status import first_open

    bank = load_bank(banks)
    first = bank.find_drill(drill_id) if drill_id else first_open(bank)
    run_watch(bank, first, directory, timeout)


def run_watch(bank: Bank, first: Drill, directory: Path | None, timeout: float) -> None:
    """Watch ``first`` until the learner quits (also used by `review` for a due drill)."""
    from normquiz.cli.keys import KeyReader
    from normquiz.drills.watch import WatchLoop
    from normquiz.drills.worker import grading_worker

    with grading_worker() as worker:
        worker.warm_in_background()  # torch loads while the file is prepared
        loop = WatchLoop(bank, worker, TerminalView(), directory, timeout)
        with KeyReader() as keys:
            path = loop.run(first, keys)
    click.echo(f"Stopped watching; your work is saved in {path}")


class TerminalView:
    """How the watch loop prints: click, with bold only where colour is allowed."""

    def clear(self) -> None:
        click.clear()

    def say(self, text: str, *, bold: bool = False, end: str = "\n") -> None:
        click.echo(style(text, bold=True) if bold else text, nl=False)
        click.echo(end, nl=False)

    def warn(self, text: str) -> None:
        click.echo(f"warning: {text}", err=True)

    def show_result(self, result: CheckResult) -> None:
        from normquiz.cli.check_output import print_result

        print_result(result)
