"""`normquiz watch` in a real terminal (pexpect) at 100 and 40 columns and with TERM=dumb:
the task on screen, re-checks on save, keys read while a check runs, a cancelled check
leaving nothing running, a selectable list, no escape codes under TERM=dumb."""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pexpect
import pytest

from conftest import REPO
from normquiz.bank.loader import load_bank
from normquiz.progress.scheduler import GOOD
from normquiz.progress.store import ProgressStore
from normquiz.sandbox.process import descendants, state_of

NORMQUIZ = str(Path(sys.executable).with_name("normquiz"))
ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
TERMINALS = {  # name: (columns, TERM)
    "100 columns": (100, "xterm-256color"),
    "40 columns": (40, "xterm-256color"),
    "TERM=dumb": (80, "dumb"),
}
DRILLS = list(load_bank(()).drills)
ENDLESS = """
import os, pathlib
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    pathlib.Path(os.environ["STARTED"]).write_text("started")
    while True:
        pass
"""


def squash(text: str) -> str:
    """Text as it reads: no escape codes, no line breaks or spaces (where lines wrap)."""
    return re.sub(r"\s+", "", ESCAPES.sub("", text))


class Watch:
    """A spawned `normquiz watch`, its output searched as it reads on screen."""

    def __init__(self, home: Path, terminal: str, *args: str, **env: str) -> None:
        columns, term = TERMINALS[terminal]
        self.dumb = term == "dumb"
        full_env = {
            **os.environ,
            "NORMQUIZ_HOME": str(home),
            "TERM": term,
            "PROMPT_TOOLKIT_NO_CPR": "1",
            **env,
        }
        self.child = pexpect.spawn(
            NORMQUIZ,
            ["watch", *args],
            env=full_env,
            encoding="utf-8",
            timeout=60,
            dimensions=(24, columns),
        )
        self.text, self.seen = "", 0

    def wait_for(self, needle: str, timeout: float = 60) -> None:
        """Until ``needle`` shows after the last text waited for (however lines wrap)."""
        target, deadline = squash(needle), time.monotonic() + timeout
        while (found := squash(self.text).find(target, self.seen)) < 0:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{needle!r} not shown in {timeout} s:\n{self.plain()}")
            try:
                self.text += self.child.read_nonblocking(65536, timeout=min(left, 0.1))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF as ended:
                raise AssertionError(f"{needle!r} not shown:\n{self.plain()}") from ended
        self.seen = found + len(target)

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def end(self) -> int:
        """Wait for the process to end; its exit status."""
        self.child.expect(pexpect.EOF)
        self.text += self.child.before
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)

    def plain(self) -> str:
        return ESCAPES.sub("", self.text)


def save(path: Path, source: Path) -> None:
    shutil.copyfile(source, path.with_suffix(".tmp"))
    os.replace(path.with_suffix(".tmp"), path)  # how many editors save: write, then rename


def alive(pid: int) -> bool:
    return state_of(pid) not in (None, "Z")


@pytest.mark.parametrize("terminal", list(TERMINALS))
def test_watch_shows_the_task_then_the_verdict(isolated_home: Path, terminal: str) -> None:
    watch = Watch(isolated_home, terminal, "bn-forward")
    watch.wait_for("bn-forward: BatchNorm forward pass in training mode")
    watch.wait_for(f"[0/{len(DRILLS)} done]")
    watch.wait_for("def batchnorm_forward(x, gamma, beta, eps=1e-5)")
    watch.wait_for(str(isolated_home / "workspace" / "bn-forward.py"))
    watch.wait_for("ERROR")
    if not watch.dumb:  # a short terminal shows the prompt of a new drill first
        watch.send("\x1b[F")  # End: the verdict's last lines
    watch.wait_for("NotImplementedError: batchnorm_forward is not written yet")
    if not watch.dumb:  # a resized terminal gets the whole screen again, at its new width
        watch.child.setwinsize(30, 70)
        watch.wait_for("bn-forward: BatchNorm forward pass in training mode")
        watch.wait_for("ERROR")
    watch.send("q")
    watch.wait_for("Stopped watching; your work is saved in")
    assert watch.end() == 0
    assert "Traceback" not in watch.text
    if watch.dumb:
        assert "\x1b" not in watch.text


@pytest.mark.parametrize("polling", [False, True])
def test_watch_rechecks_on_save_and_obeys_keys(isolated_home: Path, polling: bool) -> None:
    env = {"NORMQUIZ_WATCH_POLL": "1"} if polling else {}
    watch = Watch(isolated_home, "100 columns", "bn-forward", **env)
    workspace_file = isolated_home / "workspace" / "bn-forward.py"
    watch.wait_for("ERROR")
    save(workspace_file, REPO / "solutions" / "bn-forward.py")
    watch.wait_for("PASS")
    watch.wait_for("Passed!")
    watch.send("h")
    watch.wait_for("Hints (1/3; esc hides them)")
    save(workspace_file, REPO / "tests" / "alt_solutions" / "bn-forward.torch.py")
    watch.wait_for("PASS")
    watch.wait_for("Hints (1/3")  # the hint stays through the re-check
    watch.send("x")
    watch.wait_for("[y/N]")
    watch.send("n")
    watch.wait_for("Kept your file; nothing was reset")
    watch.send("x")
    watch.wait_for("[y/N]")
    watch.send("y")
    watch.wait_for("Reset to the starter; your previous file is in")
    watch.wait_for(str(workspace_file.parent / ".backups"))
    watch.send("l")
    watch.wait_for("Open drill:")
    watch.send("\x1b")  # Esc: back to the same drill
    watch.wait_for("bn-forward: BatchNorm forward pass")
    watch.send("n")
    watch.wait_for(f"{DRILLS[1]}:")
    watch.wait_for("FAIL")
    watch.send("q")
    watch.wait_for("Stopped watching")
    assert watch.end() == 0
    backups = list((isolated_home / "workspace" / ".backups").glob("bn-forward.*.py"))
    assert [backup.read_bytes() for backup in backups] == [
        (REPO / "tests" / "alt_solutions" / "bn-forward.torch.py").read_bytes()
    ]
    # checks of untouched starters (first open, after the reset, after `n`) record nothing;
    # the passes are one review (one sitting), rated Good (the hint came after the first)
    with ProgressStore.open(isolated_home) as store:
        assert [(r.item_id, r.correct, r.rating) for r in store.reviews()] == [
            ("bn-forward", True, GOOD)
        ]


def start_endless(home: Path, terminal: str) -> tuple[Watch, str, list[int]]:
    """watch on a file that loops forever, once the loop runs; the processes it started."""
    marker, started = uuid.uuid4().hex, home / "started"
    workspace_file = home / "workspace" / "bn-forward.py"
    workspace_file.parent.mkdir(parents=True)
    workspace_file.write_text(textwrap.dedent(ENDLESS))
    env = {"NORMQUIZ_TEST_MARKER": marker, "STARTED": str(started)}
    watch = Watch(home, terminal, "bn-forward", "--timeout", "600", **env)
    watch.wait_for("checking")
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert started.exists(), watch.plain()
    tree = descendants(watch.child.pid)
    assert len(tree) >= 3  # the worker, its zygote and the job running the loop
    return watch, marker, tree


@pytest.mark.parametrize("terminal", list(TERMINALS))
def test_q_cancels_an_endless_check_within_a_second(isolated_home: Path, terminal: str) -> None:
    watch, _, tree = start_endless(isolated_home, terminal)
    watch.send("q")
    watch.wait_for("Stopped watching; your work is saved in", timeout=1.0)
    assert watch.end() == 0
    assert [pid for pid in tree if alive(pid)] == []
    assert "Traceback" not in watch.text and "Aborted!" not in watch.text
    if watch.dumb:
        assert "\x1b" not in watch.text


def test_ctrl_c_cancels_an_endless_check_with_one_line(isolated_home: Path) -> None:
    watch, _, tree = start_endless(isolated_home, "100 columns")
    watch.send("\x03")
    watch.wait_for("watch interrupted; checks that had finished are recorded", timeout=1.0)
    assert watch.end() == 130
    assert [pid for pid in tree if alive(pid)] == []
    assert "Traceback" not in watch.text and "Aborted!" not in watch.text


@pytest.mark.parametrize("terminal", list(TERMINALS))
def test_the_list_is_selectable(isolated_home: Path, terminal: str) -> None:
    watch = Watch(isolated_home, terminal, "bn-forward")
    watch.wait_for("ERROR")
    watch.send("l")
    if watch.dumb:
        watch.wait_for("Type a number or an id to open")
        watch.send("2\r")
    else:
        watch.wait_for("Open drill:")
        watch.send("\x1b[B\x1b[B\r")  # Down, Down (the second drill), Enter
    watch.wait_for(f"{DRILLS[1]}:")
    watch.wait_for("FAIL")
    watch.send("l")
    watch.wait_for("Type a number or an id to open" if watch.dumb else "Open drill:")
    watch.send("layernorm backward\r")  # a filter only one drill matches
    watch.wait_for("layernorm-backward: LayerNorm backward pass")
    watch.wait_for("ERROR")
    watch.send("q")
    watch.wait_for(f"saved in {isolated_home / 'workspace' / 'layernorm-backward.py'}")
    assert watch.end() == 0
    if watch.dumb:
        assert "\x1b" not in watch.text
