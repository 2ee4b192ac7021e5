"""The watch loop, rustlings-style: re-check a drill on every save, act on single keys.

The loop owns the state (which drill, which file, the file watcher) and decides what to
say; the CLI gives it a ``WatchView`` that prints and a ``KeySource`` that reads keys.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.attempts import record_results
from normquiz.drills.check import check_file
from normquiz.drills.results import CheckResult
from normquiz.drills.status import drill_statuses
from normquiz.drills.watcher import FileWatcher
from normquiz.drills.workspace import reset, start
from normquiz.exceptions import UsageError
from normquiz.progress.store import ProgressStore
from normquiz.sandbox.client import SandboxWorker

KEYS = "n next drill · h hint · l list · r re-check · x reset · q quit"
QUIT_KEYS = ("q", "\x03", "\x04")


class WatchView(Protocol):
    def clear(self) -> None: ...
    def say(self, text: str, *, bold: bool = False, end: str = "\n") -> None: ...
    def warn(self, text: str) -> None: ...
    def show_result(self, result: CheckResult) -> None: ...


class KeySource(Protocol):
    def get(self, timeout: float) -> str | None: ...


class WatchLoop:
    """One watch session over the drills of a bank."""

    def __init__(
        self,
        bank: Bank,
        worker: SandboxWorker,
        view: WatchView,
        directory: Path | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.bank, self.worker, self.view = bank, worker, view
        self.directory, self.timeout = directory, timeout
        self.order = list(bank.drills)
        self.watcher: FileWatcher | None = None
        self.drill: Drill | None = None
        self.path: Path | None = None

    def run(self, first: Drill, keys: KeySource) -> Path | None:
        """Watch ``first`` until a quit key; returns the file last watched."""
        self._switch(first)
        try:
            self._loop(keys)
        finally:
            if self.watcher:
                self.watcher.stop()
        return self.path

    def _loop(self, keys: KeySource) -> None:
        actions: dict[str, Callable[[], None]] = {
            "r": self.check,
            "h": self.hint,
            "l": self.list_drills,
            "n": self.next_drill,
            "x": lambda: self.reset(keys),
        }
        while True:
            key = keys.get(0.1)
            if key in QUIT_KEYS:
                return
            if key in actions:
                actions[key]()
            if self._saved():
                self.check()

    def _saved(self) -> bool:
        changed = False
        while self.watcher and not self.watcher.changes.empty():
            self.watcher.changes.get()
            changed = True
        return changed

    def _switch(self, drill: Drill) -> None:
        if self.watcher:
            self.watcher.stop()
        self.drill = drill
        self.path = start(self.bank, drill, self.directory).path
        self.watcher = FileWatcher(self.path).start()
        self.check()

    def _current(self) -> tuple[Drill, Path]:
        if self.drill is None or self.path is None:
            raise RuntimeError("no drill is being watched")
        return self.drill, self.path

    def check(self) -> None:
        drill, path = self._current()
        self.view.clear()
        self.view.say(f"Watching {path}", bold=True, end="")
        self.view.say(" (save to re-check)\n")
        try:
            result = check_file(self.bank, drill, path, self.worker, timeout=self.timeout)
        except UsageError as error:
            self.view.say(str(error))
        else:
            self.view.show_result(result)
            warning = record_results(self.bank, [result])
            if warning:
                self.view.warn(warning)
            if result.passed:
                self.view.say("\nPassed!", bold=True, end="")
                self.view.say(" Press n for the next drill.")
        self.view.say(f"\n{KEYS}")

    def hint(self) -> None:
        drill, _ = self._current()
        with ProgressStore.open() as store:
            revealed = store.reveal_hint(drill.id, len(drill.hints))
        self.view.say(f"\nHint {revealed}/{len(drill.hints)}: {drill.hints[revealed - 1]}")

    def list_drills(self) -> None:
        drill, _ = self._current()
        self.view.say("")
        for row in drill_statuses(self.bank):
            mark = ">" if row.id == drill.id else " "
            self.view.say(f"{mark} {row.status:<10} {row.id:<22} {row.title}")

    def next_drill(self) -> None:
        drill, _ = self._current()
        index = self.order.index(drill.id)
        self._switch(self.bank.drills[self.order[(index + 1) % len(self.order)]])

    def reset(self, keys: KeySource) -> None:
        drill, path = self._current()
        self.view.say(f"\nReset {path.name} to the starter? Your file is backed up. [y/N] ", end="")
        answer = None
        while answer is None:
            answer = keys.get(0.5)
        self.view.say(answer)
        if answer.lower() == "y":
            backup = reset(self.bank, drill, self.directory)
            self.view.say(f"Reset; your previous file is in {backup}" if backup else "Reset.")
