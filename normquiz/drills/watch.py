"""The watch loop, rustlings-style: re-check a drill on every save, act on single keys.

The loop owns the state (which drill, its file, the check under way, the hints and solution
shown) and decides what to say; it hands the whole screen to a ``WatchView`` after every
change. Checks run in the background (``BackgroundCheck``), so keys are read while one
runs: q or Ctrl-C cancel it at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.attempts import note_solution_shown, record_results
from normquiz.drills.checking import BackgroundCheck, CheckOutcome
from normquiz.drills.solution_view import SolutionKind, SolutionView, solution_view
from normquiz.drills.status import DrillStatus, drill_statuses
from normquiz.drills.task import DrillTask, drill_task
from normquiz.drills.watcher import FileWatcher
from normquiz.drills.workspace import reset, start
from normquiz.exceptions import NormquizError
from normquiz.progress.store import ProgressStore

QUIT, INTERRUPT = "q", "c-c"
POLL_S = 0.1  # how often saves and finished checks are looked at between keys
# A save during a check: a check this young ends first (then the new text is checked); an
# older one (an endless loop, say) is cancelled for the new text at once.
CANCEL_AFTER_S = 1.0
SOLUTION_CYCLE: dict[SolutionKind | None, SolutionKind | None] = {
    None: "diff",
    "diff": "solution",
    "solution": None,
}


@dataclass(frozen=True)
class WatchScreen:
    """Everything watch shows, top to bottom."""

    task: DrillTask
    done: int  # drills done, of ``total``
    total: int
    checking: bool
    outcome: CheckOutcome | None  # the last check of this drill, None before the first
    hints: tuple[str, ...]  # the hints shown (kept across checks until hidden)
    hints_total: int
    solution: SolutionView | None
    message: str  # what the last key did, or a question
    keys: tuple[tuple[str, str], ...]  # (key, what it does), the ones that act now


class WatchView(Protocol):
    def draw(self, screen: WatchScreen) -> None: ...
    def tick(self) -> None: ...  # called between keys: redraw if the terminal was resized
    def choose_drill(self, rows: list[DrillStatus], current: str) -> str | None: ...
    def key(self, key: str) -> bool: ...  # a key the view acts on itself (scrolling)?
    def close(self) -> None: ...  # watch has ended: leave the terminal ready for a line


class KeySource(Protocol):
    def get(self, timeout: float) -> str | None: ...


class WatchLoop:
    """One watch session over the drills of a bank."""

    def __init__(
        self,
        bank: Bank,
        checks: BackgroundCheck,
        view: WatchView,
        directory: Path | None = None,
    ) -> None:
        self.bank, self.checks, self.view, self.directory = bank, checks, view, directory
        self.watcher: FileWatcher | None = None
        self.drill: Drill | None = None
        self.path: Path | None = None
        self.rows: list[DrillStatus] = []
        self._clear_state()

    def _clear_state(self) -> None:
        self.outcome: CheckOutcome | None = None
        self.hints: tuple[str, ...] = ()
        self.solution: SolutionView | None = None
        self.message = ""
        self.checked_digest: str | None = None  # the content last sent to a check
        self.recheck = False  # saved during a young check: check again once it ends

    def run(self, first: Drill, keys: KeySource) -> Path | None:
        """Watch ``first`` until q (returns the file last watched) or Ctrl-C (raises
        KeyboardInterrupt); either way nothing started for a check is left running."""
        self.keys = keys
        self.checks.warm()
        try:
            self._switch(first)
            while (key := keys.get(POLL_S)) != QUIT:
                self._step(key)
            return self.path
        finally:
            self.checks.close()
            if self.watcher:
                self.watcher.stop()

    def _step(self, key: str | None) -> None:
        if key == INTERRUPT:
            raise KeyboardInterrupt
        if key is not None:
            self._press(key)
        if self._saved():
            self._on_save()
        outcome = self.checks.poll()
        if outcome is not None:
            self._finish(outcome)
            if self.recheck:
                self.check()
        self.view.tick()

    def _press(self, key: str) -> None:
        if self.view.key(key):
            return
        actions: dict[str, Callable[[], None]] = {
            "r": self.check,
            "h": self.hint,
            "escape": self.hide,
            "l": self.choose,
            "n": self.next_drill,
            "x": self.reset,
            "s": self.show_solution,
        }
        action = actions.get(key)
        if action is None:
            self._say(f"{key} does nothing here; the keys are listed below.")
        else:
            action()

    # -- state ---------------------------------------------------------------------------

    def _current(self) -> tuple[Drill, Path]:
        if self.drill is None or self.path is None:
            raise RuntimeError("no drill is being watched")
        return self.drill, self.path

    def _passed(self) -> bool:
        drill, _ = self._current()
        last = self.outcome.result if self.outcome else None
        status = next((row.status for row in self.rows if row.id == drill.id), "pending")
        return bool(last and last.passed) or status == "done"

    def screen(self) -> WatchScreen:
        drill, path = self._current()
        return WatchScreen(
            task=drill_task(self.bank, drill, path),
            done=sum(row.status == "done" for row in self.rows),
            total=len(self.rows),
            checking=self.checks.running,
            outcome=self.outcome,
            hints=self.hints,
            hints_total=len(drill.hints),
            solution=self.solution,
            message=self.message,
            keys=self._keys(),
        )

    def _keys(self) -> tuple[tuple[str, str], ...]:
        keys = [
            ("n", "next drill"),
            ("l", "list"),
            ("h", "hint"),
            ("r", "re-check"),
            ("x", "reset"),
        ]
        if self._passed():
            keys.append(("s", "solution"))
        if self.hints or self.solution:
            keys.append(("esc", "hide " + ("hints" if self.hints else "solution")))
        keys.append(("q", "cancel & quit" if self.checks.running else "quit"))
        return tuple(keys)

    def _draw(self) -> None:
        self.view.draw(self.screen())

    def _say(self, message: str) -> None:
        self.message = message
        self._draw()

    def _refresh_rows(self) -> None:
        try:
            self.rows = drill_statuses(self.bank)
        except NormquizError as error:  # an unusable store: watch goes on, status as it was
            self.message = f"warning: {error}"

    # -- checks --------------------------------------------------------------------------

    def _saved(self) -> bool:
        """Whether the file changed since it was last sent to a check (an editor that
        rewrites the same text, or our own reset, does not count twice)."""
        changed = False
        while self.watcher and not self.watcher.changes.empty():
            self.watcher.changes.get()
            changed = True
        return changed and self._digest() != self.checked_digest

    def _digest(self) -> str | None:
        _, path = self._current()
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None

    def _on_save(self) -> None:
        if self.checks.running and self.checks.elapsed < CANCEL_AFTER_S:
            self.recheck = True  # cancelling would cost a new worker: let it end first
        else:
            self.check()

    def check(self) -> None:
        """Check the file now (a check under way is cancelled: the file changed)."""
        drill, path = self._current()
        self.recheck = False
        self.checked_digest = self._digest()
        self.checks.start(drill, path)
        self.message = ""
        self._draw()

    def _finish(self, outcome: CheckOutcome) -> None:
        self.outcome = outcome
        self._update_solution()
        warning = record_results(self.bank, [outcome.result]) if outcome.result else None
        if warning:
            self.message = f"warning: {warning}"
        self._refresh_rows()
        self._draw()

    # -- keys ----------------------------------------------------------------------------

    def hint(self) -> None:
        drill, _ = self._current()
        shown = len(self.hints)
        try:
            with ProgressStore.open() as store:
                revealed = store.reveal_hint(drill.id, len(drill.hints))
        except NormquizError as error:
            self._say(f"the hint could not be recorded: {error}")
            return
        self.hints = tuple(drill.hints[:revealed])
        self._say("That was the last hint." if revealed == shown else "")

    def hide(self) -> None:
        self.hints, self.solution = (), None
        self._say("")

    def choose(self) -> None:
        drill, _ = self._current()
        self._refresh_rows()
        chosen = self.view.choose_drill(self.rows, drill.id)
        if chosen is None or chosen == drill.id:
            self._draw()
            return
        self._open(self.bank.drills[chosen])

    def next_drill(self) -> None:
        drill, _ = self._current()
        self._refresh_rows()
        ids = [row.id for row in self.rows]
        here = ids.index(drill.id) if drill.id in ids else -1
        after = self.rows[here + 1 :] + self.rows[: here + 1]
        pending = [row.id for row in after if row.status != "done" and row.id != drill.id]
        if not pending and self._passed():
            self._say(f"All {len(ids)} drills are done! l lists them to practise one again.")
        elif not pending:
            self._say(f"Every other drill is done: {drill.id} is the last one left.")
        else:
            self._open(self.bank.drills[pending[0]])

    def reset(self) -> None:
        drill, path = self._current()
        self._say(f"Reset {path.name} to the starter? Your file is kept as a backup. [y/N]")
        answer = None
        while answer is None:
            answer = self.keys.get(POLL_S)
        if answer == INTERRUPT:
            raise KeyboardInterrupt
        if answer.lower() != "y":
            self._say(f"Kept your file; nothing was reset ({path}).")
            return
        self.checks.cancel()
        try:
            backup = reset(self.bank, drill, self.directory)
        except NormquizError as error:
            self._say(str(error))
            return
        self.check()
        kept = f"your previous file is in {backup}" if backup else "there was no file to keep"
        self._say(f"Reset to the starter; {kept}.")

    def _update_solution(self) -> None:
        """The solution shown follows the file: the diff is redone after every check."""
        drill, path = self._current()
        if self.solution is not None:
            try:
                self.solution = solution_view(self.bank, drill, path, self.solution.kind)
            except NormquizError as error:
                self.solution, self.message = None, str(error)

    def show_solution(self) -> None:
        drill, path = self._current()
        if not self._passed():
            self._say(
                "The reference solution opens once you pass the drill "
                f"(`normquiz solution {drill.id} --force` shows it now)."
            )
            return
        kind = SOLUTION_CYCLE[self.solution.kind if self.solution else None]
        try:
            self.solution = solution_view(self.bank, drill, path, kind) if kind else None
        except NormquizError as error:
            self._say(str(error))
            return
        warning = note_solution_shown(drill.id) if kind else None
        self._say(f"warning: {warning}" if warning else "")

    # -- switching drills ----------------------------------------------------------------

    def _switch(self, drill: Drill) -> None:
        """Start watching ``drill``: its file is written from the starter if missing."""
        path = start(self.bank, drill, self.directory).path
        if self.watcher:
            self.watcher.stop()
        self.checks.cancel()
        self.drill, self.path = drill, path
        self._clear_state()
        self.watcher = FileWatcher(path).start()
        self._refresh_rows()
        self.check()

    def _open(self, drill: Drill) -> None:
        """Switch drills from a key; a workspace problem is said, the current drill stays."""
        try:
            self._switch(drill)
        except NormquizError as error:
            self._say(str(error))
