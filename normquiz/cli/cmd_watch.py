"""normquiz watch: re-check a drill on every save, rustlings-style."""

from __future__ import annotations

from pathlib import Path

import click

from normquiz.cli.options import bank_option, style

KEYS = "n next drill · h hint · l list · r re-check · x reset · q quit"


@click.command(short_help="Re-check a drill every time you save it.")
@click.argument("drill_id", required=False)
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="Workspace directory (default: $NORMQUIZ_HOME/workspace).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds per check.")
@bank_option
def watch(drill_id: str | None, directory: Path | None, timeout: float, banks: tuple[Path, ...]) -> None:
    """Re-check DRILL_ID (default: the first drill not done) every time you save its file.

    Keys: n next drill (it never advances by itself), h next hint, l list drills,
    r re-check, x reset to the starter (asks first), q quit.

    \b
    Examples:
      normquiz watch
      normquiz watch bn-running-stats
    """
    from normquiz.sandbox.client import GradingWorker

    with GradingWorker() as worker:
        worker.warm_in_background()  # torch loads while the bank and the file are prepared
        Session(worker, directory, timeout, banks).run(drill_id)


class Session:
    def __init__(self, worker, directory: Path | None, timeout: float, banks) -> None:
        from normquiz.bank.loader import load_bank

        self.worker, self.directory, self.timeout = worker, directory, timeout
        self.bank = load_bank(banks)
        self.order = list(self.bank.drills)
        self.watcher = None
        self.drill = None
        self.path: Path | None = None

    def run(self, drill_id: str | None) -> None:
        from normquiz.cli.keys import KeyReader
        from normquiz.drills.check import find_drill

        self._switch(find_drill(self.bank, drill_id) if drill_id else self._first_open())
        with KeyReader() as keys:
            try:
                self._loop(keys)
            finally:
                self.watcher.stop()
        click.echo("Stopped watching; your work is saved in " + str(self.path))

    def _loop(self, keys) -> None:
        actions = {"r": self._check, "h": self._hint, "l": self._list, "n": self._next,
                   "x": lambda: self._reset(keys)}
        while True:
            key = keys.get(0.1)
            if key in ("q", "\x03", "\x04"):
                return
            if key in actions:
                actions[key]()
            if self._saved():
                self._check()

    def _saved(self) -> bool:
        changed = False
        while not self.watcher.changes.empty():
            self.watcher.changes.get()
            changed = True
        return changed

    def _first_open(self):
        from normquiz.cli.cmd_drill import drill_rows

        rows = drill_rows(self.bank)
        chosen = next((r["id"] for r in rows if r["status"] != "done"), rows[0]["id"])
        return self.bank.drills[chosen]

    def _switch(self, drill) -> None:
        from normquiz.drills.watcher import FileWatcher
        from normquiz.drills.workspace import start

        if self.watcher:
            self.watcher.stop()
        self.drill = drill
        self.path = start(self.bank, drill, self.directory).path
        self.watcher = FileWatcher(self.path).start()
        self._check()

    def _check(self) -> None:
        from normquiz.cli.check_output import print_result, record_and_warn
        from normquiz.drills.check import check_file
        from normquiz.exceptions import UsageError

        click.clear()
        click.echo(style(f"Watching {self.path}", bold=True) + " (save to re-check)\n")
        try:
            result = check_file(self.bank, self.drill, self.path, self.worker, timeout=self.timeout)
        except UsageError as error:
            click.echo(str(error))
        else:
            print_result(result)
            record_and_warn([result])
            if result["status"] == "pass":
                click.echo("\n" + style("Passed!", bold=True) + " Press n for the next drill.")
        click.echo(f"\n{KEYS}")

    def _hint(self) -> None:
        from normquiz.progress.store import ProgressStore

        with ProgressStore.open() as store:
            revealed = store.reveal_hint(self.drill.id, len(self.drill.hints))
        click.echo(f"\nHint {revealed}/{len(self.drill.hints)}: {self.drill.hints[revealed - 1]}")

    def _list(self) -> None:
        from normquiz.cli.cmd_drill import drill_rows

        click.echo()
        for row in drill_rows(self.bank):
            mark = ">" if row["id"] == self.drill.id else " "
            click.echo(f"{mark} {row['status']:<10} {row['id']:<22} {row['title']}")

    def _next(self) -> None:
        index = self.order.index(self.drill.id)
        self._switch(self.bank.drills[self.order[(index + 1) % len(self.order)]])

    def _reset(self, keys) -> None:
        from normquiz.drills.workspace import reset

        click.echo(f"\nReset {self.path.name} to the starter? Your file is backed up. [y/N] ", nl=False)
        answer = None
        while answer is None:
            answer = keys.get(0.5)
        click.echo(answer)
        if answer.lower() == "y":
            backup = reset(self.bank, self.drill, self.directory)
            click.echo(f"Reset; your previous file is in {backup}" if backup else "Reset.")
