"""Checks in the background, one at a time, so that keys are read while one runs.

A check under way can be cancelled at once: its worker is stopped with every process it
started (the learner's code included) and the next check gets a fresh worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.check import check_file
from normquiz.drills.results import CheckResult
from normquiz.exceptions import GraderError, UsageError
from normquiz.sandbox.client import SandboxWorker


@dataclass(frozen=True)
class CheckOutcome:
    """How one check ended: its result, or why the file could not be checked."""

    drill: str
    result: CheckResult | None
    problem: str | None = None  # a missing or unreadable file, or a failed worker


class BackgroundCheck:
    """Runs ``check_file`` in a thread on a worker made by ``new_worker``."""

    def __init__(self, bank: Bank, timeout: float, new_worker: Callable[[], SandboxWorker]) -> None:
        self.bank, self.timeout, self._new_worker = bank, timeout, new_worker
        self._worker: SandboxWorker | None = None
        self._thread: threading.Thread | None = None
        self._outcome: CheckOutcome | None = None
        self._crash: BaseException | None = None  # a bug in the thread, raised by poll()
        self._worker_failed = False
        self._started = 0.0

    def warm(self) -> SandboxWorker:
        """The worker, started now if there is none (torch loads while the learner reads)."""
        if self._worker is None:
            self._worker = self._new_worker()
            self._worker.warm_in_background()
        return self._worker

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def elapsed(self) -> float:
        """Seconds since the check under way started (0 when none is)."""
        return time.monotonic() - self._started if self._thread is not None else 0.0

    def start(self, drill: Drill, path: Path) -> None:
        """Check ``path`` against ``drill``, cancelling a check under way."""
        self.cancel()
        self._outcome, self._crash, self._worker_failed = None, None, False
        self._started = time.monotonic()
        self._thread = threading.Thread(
            target=self._run, args=(drill, path, self.warm()), daemon=True
        )
        self._thread.start()

    def _run(self, drill: Drill, path: Path, worker: SandboxWorker) -> None:
        try:
            result = check_file(self.bank, drill, path, worker, timeout=self.timeout)
            self._outcome = CheckOutcome(drill.id, result)
        except UsageError as error:
            self._outcome = CheckOutcome(drill.id, None, str(error))
        except GraderError as error:
            self._outcome = CheckOutcome(drill.id, None, f"the check could not run: {error}")
            self._worker_failed = True
        except BaseException as error:  # noqa: BLE001 - a bug: poll() raises it in the main thread
            self._crash = error

    def poll(self) -> CheckOutcome | None:
        """The outcome of the check that has just ended (once); None while one runs."""
        thread = self._thread
        if thread is None or thread.is_alive():
            return None
        self._thread = None
        if self._crash is not None:
            raise self._crash
        if self._worker_failed:
            self._discard_worker()  # the next check starts a fresh one
        return self._outcome

    def cancel(self) -> bool:
        """Stop the check under way, if any, leaving no process of it running; True if
        there was one."""
        thread, self._thread = self._thread, None
        if thread is None:
            return False
        if thread.is_alive() and self._worker is not None:
            self._worker.cancel()
            thread.join()
            self._discard_worker()
        return True

    def _discard_worker(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def close(self) -> None:
        self.cancel()
        self._discard_worker()
