"""The watch loop's decisions, driven by scripted keys, a fake check and a recording view:
what each key does and says, what stays on screen across checks. (The real terminal, the
real grader and cancelling are in test_watch.py.)"""

from __future__ import annotations

import io
from collections import deque
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from normquiz.bank.loader import Bank, load_bank
from normquiz.cli.watch_view import CLEAR, TerminalView, window
from normquiz.drills.checking import CheckOutcome
from normquiz.drills.results import CheckResult, Diagnosis, Verdict
from normquiz.drills.status import DrillStatus
from normquiz.drills.task import signature
from normquiz.drills.watch import WatchLoop, WatchScreen
from normquiz.progress.sittings import DrillCheck
from normquiz.progress.store import ProgressStore

WHEN = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
PASSING = "# graded as a pass by FakeChecks\n"


class FakeChecks:
    """Grades at once: a file holding PASSING passes, anything else fails."""

    def __init__(self, elapsed: float = 0.0, polls: int = 1) -> None:
        self.running, self.started, self.cancelled = False, [], 0
        self.outcome: CheckOutcome | None = None
        self.elapsed, self.polls, self.left = elapsed, polls, 0  # a check ends at its nth poll

    def warm(self) -> None:
        return None

    def start(self, drill, path: Path) -> None:
        self.cancel()  # as BackgroundCheck does
        self.started.append(drill.id)
        status = "pass" if PASSING in path.read_text() else "fail"
        result = CheckResult(drill.id, str(path), Verdict(status, f"graded {status}"))
        self.outcome, self.running, self.left = CheckOutcome(drill.id, result), True, self.polls

    def poll(self) -> CheckOutcome | None:
        self.left -= 1
        if not self.running or self.left > 0:
            return None
        self.running = False
        return self.outcome

    def cancel(self) -> bool:
        was, self.running = self.running, False
        self.cancelled += was
        return was

    def close(self) -> None:
        self.cancel()


class RecordingView:
    def __init__(self, choice: str | None = None) -> None:
        self.screens: list[WatchScreen] = []
        self.choice = choice
        self.offered: list[DrillStatus] = []

    def draw(self, screen: WatchScreen) -> None:
        self.screens.append(screen)

    def tick(self) -> None:
        return None

    def key(self, key: str) -> bool:
        return False

    def choose_drill(self, rows: list[DrillStatus], current: str) -> str | None:
        self.offered = rows
        return self.choice

    def close(self) -> None:
        return None

    @property
    def last(self) -> WatchScreen:
        return self.screens[-1]


class ScriptedKeys:
    """The keys, with a poll without a key before each (a check ends meanwhile), then q."""

    def __init__(self, *keys: str) -> None:
        self.keys: deque[str | None] = deque([None])
        for key in keys:
            self.keys.extend((key, None))

    def get(self, timeout: float) -> str | None:
        return self.keys.popleft() if self.keys else "q"


@pytest.fixture
def bank() -> Bank:
    return load_bank(())


def run(bank: Bank, first: str, *keys: str, view: RecordingView | None = None):
    view = view or RecordingView()
    checks = FakeChecks()
    loop = WatchLoop(bank, checks, view)  # type: ignore[arg-type]
    path = loop.run(bank.drills[first], ScriptedKeys(*keys))
    return view, checks, path


def mark_done(home: Path, *drill_ids: str) -> None:
    with ProgressStore.open(home) as store:
        for drill_id in drill_ids:
            store.record_drill_check(DrillCheck(drill_id, True, {}, 100, WHEN))


def test_the_screen_holds_the_task_and_the_progress(bank: Bank, isolated_home: Path) -> None:
    mark_done(isolated_home, "bn-eval")
    view, _, path = run(bank, "bn-forward")
    screen = view.last
    assert screen.task.title == bank.drills["bn-forward"].title
    assert screen.task.signature == "def batchnorm_forward(x, gamma, beta, eps=1e-5)"
    assert screen.task.path == path == isolated_home / "workspace" / "bn-forward.py"
    assert (screen.done, screen.total) == (1, len(bank.drills))
    assert screen.outcome is not None and screen.outcome.result.status == "fail"
    assert any(s.checking for s in view.screens)  # "checking..." was on screen meanwhile


def test_a_class_drill_shows_its_class_and_methods(bank: Bank) -> None:
    assert signature(bank, bank.drills["bn-module"]).splitlines() == [
        "class BatchNorm2d(nn.Module)",
        "    def __init__(self, num_features, eps=1e-5, momentum=0.1)",
        "    def forward(self, x)",
    ]


def test_n_skips_done_drills_and_wraps(bank: Bank, isolated_home: Path) -> None:
    order = list(bank.drills)
    mark_done(isolated_home, order[1], order[2])
    view, checks, _ = run(bank, order[0], "n")
    assert checks.started == [order[0], order[3]]
    mark_done(isolated_home, *order[:-1])
    view, checks, _ = run(bank, order[-1], "n")
    assert checks.started == [order[-1]]  # every other drill is done: it stays
    assert view.last.message == f"Every other drill is done: {order[-1]} is the last one left."
    mark_done(isolated_home, order[-1])
    view, _, _ = run(bank, order[-1], "n")
    assert view.last.message.startswith(f"All {len(order)} drills are done!")


def test_hints_stay_through_checks_until_esc(bank: Bank, isolated_home: Path) -> None:
    view, checks, _ = run(bank, "bn-forward", "h", "h", "r")
    hints = bank.drills["bn-forward"].hints
    assert checks.started == ["bn-forward", "bn-forward"]
    assert view.last.hints == tuple(hints[:2]) and not view.last.checking
    view, _, _ = run(bank, "bn-forward", "h", "escape")
    assert view.last.hints == ()
    assert {s.hints for s in view.screens if s.hints} == {tuple(hints[:3])}  # the 3rd reveal
    view, _, _ = run(bank, "bn-forward", "h", "h")
    assert view.last.hints == tuple(hints) and view.last.message == "That was the last hint."


def test_x_says_what_happened_either_way(bank: Bank, isolated_home: Path) -> None:
    path = isolated_home / "workspace" / "bn-forward.py"
    path.parent.mkdir(parents=True)
    path.write_text("mine = 1\n")
    view, _, _ = run(bank, "bn-forward", "x", "n")
    assert any(s.message.endswith("Your file is kept as a backup. [y/N]") for s in view.screens)
    assert view.last.message.startswith("Kept your file; nothing was reset")
    assert path.read_text() == "mine = 1\n"
    view, checks, _ = run(bank, "bn-forward", "x", "y")
    [backup] = (path.parent / ".backups").glob("bn-forward.*.py")
    assert view.last.message == f"Reset to the starter; your previous file is in {backup}."
    assert backup.read_text() == "mine = 1\n" and path.read_text() != "mine = 1\n"
    assert checks.started == ["bn-forward", "bn-forward"]  # the starter is checked again


def test_s_compares_with_the_solution_only_after_a_pass(bank: Bank, isolated_home: Path) -> None:
    view, _, _ = run(bank, "bn-forward", "s")
    assert view.last.solution is None
    assert "opens once you pass the drill" in view.last.message
    path = isolated_home / "workspace" / "bn-forward.py"
    path.write_text(PASSING)
    view, _, _ = run(bank, "bn-forward", "s", "s", "s")
    diff, whole, hidden = (view.screens[i].solution for i in (-3, -2, -1))
    assert diff.kind == "diff" and diff.lines[0] == "--- your bn-forward.py"
    assert f"-{PASSING.strip()}" in diff.lines
    assert whole.kind == "solution" and "def batchnorm_forward" in "\n".join(whole.lines)
    assert hidden is None


def test_l_opens_the_chosen_drill(bank: Bank) -> None:
    view, checks, path = run(bank, "bn-forward", "l", view=RecordingView(choice="bn-eval"))
    assert [row.id for row in view.offered] == list(bank.drills)
    assert checks.started == ["bn-forward", "bn-eval"]
    assert path.name == "bn-eval.py" and view.last.task.id == "bn-eval"


def test_an_unbound_key_says_so(bank: Bank) -> None:
    view, _, _ = run(bank, "bn-forward", "z")
    assert view.last.message == "z does nothing here; the keys are listed below."


def test_ctrl_c_cancels_the_check_and_raises_keyboard_interrupt(bank: Bank) -> None:
    checks = FakeChecks()
    loop = WatchLoop(bank, checks, RecordingView())  # type: ignore[arg-type]

    class CtrlCWhileChecking(ScriptedKeys):
        def get(self, timeout: float) -> str | None:
            return "c-c"

    with pytest.raises(KeyboardInterrupt):
        loop.run(bank.drills["bn-forward"], CtrlCWhileChecking())
    assert checks.cancelled == 1  # the first check was still running


class SaveWhileChecking(ScriptedKeys):
    """Waits for the first check, starts another with r, and saves new text during it."""

    def __init__(self, loop: WatchLoop) -> None:
        super().__init__()
        self.keys = deque([None, None, None, "r", None])  # the first check ends, then r
        self.loop, self.saved = loop, False

    def get(self, timeout: float) -> str | None:
        key = super().get(timeout)
        if key == "q" and not self.saved:
            self.saved = True
            self.loop.path.write_text(PASSING)
            self.loop.watcher.changes.put(self.loop.path)  # what the file watcher would do
            self.keys.extend([None] * 3)
            return None
        return key


@pytest.mark.parametrize("elapsed, cancelled", [(0.2, 0), (5.0, 1)])
def test_a_save_during_a_check_is_checked_after_or_instead(
    bank: Bank, elapsed: float, cancelled: int
) -> None:
    checks = FakeChecks(elapsed=elapsed, polls=3)
    view = RecordingView()
    loop = WatchLoop(bank, checks, view)  # type: ignore[arg-type]
    loop.run(bank.drills["bn-forward"], SaveWhileChecking(loop))
    assert checks.started == ["bn-forward"] * 3
    assert checks.cancelled == cancelled  # a young check ends first; an old one is cancelled
    assert view.last.outcome.result.passed  # the saved text was checked last


def test_window_keeps_marks_for_hidden_lines() -> None:
    body = [str(n) for n in range(30)]
    assert window(body[:10], 20, 5) == (0, 10, 0)  # it fits: all of it, from the top
    assert window(body, 10, 0) == (0, 9, 21)  # nine lines and "21 more below"
    assert window(body, 10, 10) == (10, 8, 12)  # a mark above and below
    assert window(body, 10, 99) == (21, 9, 0)  # the end: the last nine lines


@pytest.mark.parametrize("columns, rows", [(40, 20), (100, 32)])
def test_the_terminal_screen_fits_and_keeps_the_task(bank: Bank, columns: int, rows: int) -> None:
    """Every line within the width, no more lines than the terminal has, and the title,
    the signature and the keys on screen, before and after a long verdict."""
    output = io.StringIO()
    view = TerminalView(Console(file=output, width=columns, height=rows, color_system=None))
    screen = run(bank, "bn-forward")[0].last
    diagnosis = Diagnosis("wrong-axes", "You reduced over the batch axis only. " * 8)
    verdict = Verdict("fail", "2 of 2 cases did not match", diagnosis=(diagnosis,))
    result = CheckResult("bn-forward", str(screen.task.path), verdict)
    for outcome in (None, CheckOutcome("bn-forward", result)):
        view.draw(replace(screen, outcome=outcome, checking=outcome is None))
        drawn = output.getvalue().rsplit(CLEAR, 1)[1].split("\n")
        assert len(drawn) <= rows and all(len(line) <= columns for line in drawn)
        text = "".join(drawn).replace(" ", "")
        assert "bn-forward:BatchNormforwardpassintrainingmode" in text
        assert "defbatchnorm_forward(x,gamma,beta,eps=1e-5)" in text
        assert drawn[-1].endswith(("scroll", "quit"))
    assert "FAIL" in text  # in the verdict, or in the mark of the lines below
