"""Fork a child, capture its output (capped), enforce a deadline, leave no process behind."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from normquiz.sandbox.process import close_descriptors, die_with_parent, kill_group, kill_tree
from normquiz.sandbox.protocol import exact_fields

KEEP_BYTES = 4096


class OutputCapture(threading.Thread):
    """Reads a pipe to its end, keeping the first and last few KiB."""

    def __init__(self, fd: int) -> None:
        super().__init__(daemon=True)
        self.fd = fd
        self.head = bytearray()
        self.tail: deque[bytes] = deque()
        self.tail_size = 0
        self.total = 0

    def run(self) -> None:
        try:
            while chunk := os.read(self.fd, 65536):
                self._keep(chunk)
        finally:
            os.close(self.fd)

    def _keep(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if len(self.head) < KEEP_BYTES:
            take = KEEP_BYTES - len(self.head)
            self.head += chunk[:take]
            chunk = chunk[take:]
        if chunk:
            self.tail.append(chunk)
            self.tail_size += len(chunk)
            while self.tail_size - len(self.tail[0]) >= KEEP_BYTES:
                self.tail_size -= len(self.tail.popleft())

    def captured(self) -> CapturedOutput:
        tail = b"".join(self.tail)[-KEEP_BYTES:]
        omitted = self.total - len(self.head) - len(tail)
        return CapturedOutput(
            head=self.head.decode("utf-8", "replace"),
            tail=tail.decode("utf-8", "replace"),
            bytes=self.total,
            omitted_bytes=max(0, omitted),
        )


@dataclass(frozen=True)
class CapturedOutput:
    """What a child printed: the first and last KEEP_BYTES, and how much in all."""

    head: str = ""
    tail: str = ""
    bytes: int = 0
    omitted_bytes: int = 0

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CapturedOutput:
        return cls(**exact_fields(data, cls))


@dataclass(frozen=True)
class ChildRun:
    """How a forked child ended."""

    timed_out: bool
    exit_code: int | None
    signal: int | None
    seconds: float
    output: CapturedOutput
    lost: bool = False  # the process supervising it was killed or stopped (by the child?)
    start_error: str | None = None  # no child could be started


def run_child(target: Callable[[int], None], timeout: float) -> ChildRun:
    """Fork; the child runs ``target(output_fd)`` and must end with os._exit."""
    read_fd, write_fd = os.pipe()
    started = time.perf_counter()
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError as error:  # no process could be made (a process limit, no memory)
        os.close(read_fd)
        os.close(write_fd)
        return ChildRun(False, None, None, 0.0, CapturedOutput(), start_error=str(error))
    if pid == 0:  # pragma: no cover - child side
        try:
            die_with_parent(signal.SIGKILL, parent)
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)  # not the supervisor's handlers
            close_descriptors(keep=(write_fd,))
            target(write_fd)
        finally:
            os._exit(70)
    os.close(write_fd)
    capture = OutputCapture(read_fd)
    capture.start()
    status = _wait(pid, started + timeout)
    seconds = time.perf_counter() - started
    kill_tree(group=pid)
    capture.join(timeout=2.0)
    if status is None:
        return ChildRun(True, None, None, seconds, capture.captured())
    code = os.waitstatus_to_exitcode(status)
    return ChildRun(
        False, code if code >= 0 else None, -code if code < 0 else None, seconds, capture.captured()
    )


def _wait(pid: int, deadline: float) -> int | None:
    """The child's wait status, or None (after killing it) when the deadline passed. Wakes
    the moment the child ends (a pidfd), polling only where pidfds are missing."""
    try:
        ended = os.pidfd_open(pid)
    except (AttributeError, OSError):
        ended = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                _kill_now(pid)
                return None
            if ended is not None:
                select.select([ended], [], [], remaining)
            else:
                time.sleep(min(remaining, 0.002))
    finally:
        if ended is not None:
            os.close(ended)


def _kill_now(pid: int) -> None:
    kill_group(pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)  # in case it had not made its own group yet
    os.waitpid(pid, 0)
