"""Cancelling a check under way, and closing a worker that is still starting: nothing left
running, nothing printed by a background thread."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from normquiz.bank.loader import load_bank
from normquiz.drills.check import check_file
from normquiz.drills.checking import BackgroundCheck
from normquiz.drills.worker import grading_worker
from normquiz.exceptions import GraderError
from normquiz.sandbox.client import CANCELLED
from normquiz.sandbox.process import descendants, state_of

ENDLESS = """
import os, pathlib
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    pathlib.Path(os.environ["STARTED"]).write_text("started")
    while True:
        pass
"""


@pytest.fixture
def endless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A drill file that loops forever once called, and the file it writes when it starts."""
    started = tmp_path / "started"
    monkeypatch.setenv("STARTED", str(started))
    path = tmp_path / "bn-forward.py"
    path.write_text(textwrap.dedent(ENDLESS))
    return path, started


def wait_until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if state_of(pid) not in (None, "Z")]


def new_processes(before: set[int]) -> list[int]:
    """Our processes started since ``before`` was taken (other tests' workers left out)."""
    return [pid for pid in descendants(os.getpid()) if pid not in before]


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3])
def test_closing_a_worker_while_it_starts_is_quiet(
    delay: float, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    worker = grading_worker()
    worker.warm_in_background()
    time.sleep(delay)
    worker.close()
    assert worker._warming is not None and not worker._warming.is_alive()
    assert failures == [] and capfd.readouterr().err == ""


def test_cancel_ends_the_request_and_every_process_it_started(endless) -> None:
    path, started = endless
    bank = load_bank(())
    errors: list[BaseException] = []
    before = set(descendants(os.getpid()))
    with grading_worker() as worker:

        def grade() -> None:
            try:
                check_file(bank, bank.drills["bn-forward"], path, worker, timeout=600)
            except GraderError as error:
                errors.append(error)

        thread = threading.Thread(target=grade)
        thread.start()
        wait_until(started.exists)
        tree = new_processes(before)
        assert len(tree) >= 3  # the worker, its zygote and the job running the loop
        worker.cancel()
        thread.join(timeout=10)
        assert not thread.is_alive()
    assert [str(error) for error in errors] == [CANCELLED]
    assert alive(tree) == []


def test_a_background_check_cancelled_then_started_again(endless) -> None:
    path, started = endless
    bank = load_bank(())
    before = set(descendants(os.getpid()))
    checks = BackgroundCheck(bank, 600, grading_worker)
    try:
        checks.start(bank.drills["bn-forward"], path)
        wait_until(started.exists)
        tree = new_processes(before)
        assert checks.running and checks.poll() is None
        assert checks.cancel() is True
        assert not checks.running and checks.poll() is None and alive(tree) == []
        path.write_bytes((REPO / "solutions" / "bn-forward.py").read_bytes())
        checks.start(bank.drills["bn-forward"], path)  # on a fresh worker
        wait_until(lambda: not checks._thread or not checks._thread.is_alive())
        outcome = checks.poll()
    finally:
        checks.close()
    assert outcome is not None and outcome.result is not None and outcome.result.passed
    assert checks.cancel() is False  # nothing under way any more


@pytest.mark.parametrize(
    "args, message",
    [
        (("watch", "bn-foward"), "unknown drill 'bn-foward'"),
        (("drill", "bn-forward", "--edit"), "set $VISUAL or $EDITOR"),
    ],
)
def test_a_command_that_fails_at_once_prints_one_message(
    args: tuple[str, ...], message: str
) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("VISUAL", "EDITOR")}
    for _ in range(3):  # the worker's start races the failure: never a thread's traceback
        ran = subprocess.run(
            [sys.executable, "-m", "normquiz", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
        )
        assert ran.returncode in (1, 2) and message in ran.stderr
        assert "Traceback" not in ran.stderr and "Exception" not in ran.stderr
