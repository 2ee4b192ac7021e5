"""The zygote: a pristine process that every sandboxed child is forked from.

The worker forks it once, after loading torch and numpy and before serving any request,
so no reference output, request, case name or seed ever exists in its memory, and it
keeps no descriptor but its command socket. The worker sends it a job (a picklable body
and its limits); the zygote forks the child, supervises it (deadline, capture, cleanup)
and sends back the ``ChildRun``. A job child therefore holds nothing worth copying: its
own inputs and its output pipe.

The worker watches the zygote: if learner code kills or stops it, the job ends as lost,
every process left behind is killed and a fresh zygote is forked for the next job.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import socket
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from normquiz.sandbox.child import Body, child_entry
from normquiz.sandbox.process import (
    become_subreaper,
    close_descriptors,
    die_with_parent,
    is_stopped,
    kill_tree,
    not_dumpable,
)
from normquiz.sandbox.supervisor import CapturedOutput, ChildRun, run_child

GRACE_SECONDS = 10.0  # beyond a job's own timeout, before the zygote counts as hung
HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class ZygoteJob:
    """One job: what the child runs, where it reports, and its limits."""

    body: Body
    job_dir: str
    timeout: float
    memory_bytes: int

    def enter(self, output_fd: int) -> None:  # pragma: no cover - runs in the job child
        child_entry(output_fd, Path(self.job_dir), self.memory_bytes, self.body)


class Zygote:
    """The worker's handle on its zygote process."""

    def __init__(self) -> None:
        self._fork()

    def _fork(self) -> None:
        ours, theirs = socket.socketpair()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the zygote's side
            ours.close()
            _serve(theirs, parent)
        theirs.close()
        self.pid = pid
        self._socket = ours

    def run(self, job: ZygoteJob) -> ChildRun:
        """Run one job; a lost zygote is replaced and the job reported as lost."""
        started = time.perf_counter()
        try:
            _send(self._socket, pickle.dumps(job))
            reply = self._receive(time.monotonic() + job.timeout + GRACE_SECONDS)
        except (OSError, EOFError):
            reply = None
        if reply is None:
            self._replace()
            seconds = time.perf_counter() - started
            return ChildRun(False, None, None, seconds, CapturedOutput(), lost=True)
        run: ChildRun = pickle.loads(reply)
        return run

    def _receive(self, deadline: float) -> bytes | None:
        """The zygote's reply; None if it died, was stopped or overran the deadline."""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self._socket], [], [], 0.2)
            if ready:
                return _receive(self._socket)
            if is_stopped(self.pid):
                return None
        return None

    def _replace(self) -> None:
        self.close()
        kill_tree()  # the lost zygote's orphans were re-parented to the worker
        self._fork()

    def close(self) -> None:
        """End the zygote; it kills every job process first (SIGTERM handler)."""
        self._socket.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGCONT)
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return
            time.sleep(0.005)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def _serve(commands: socket.socket, parent: int) -> None:  # pragma: no cover - zygote side
    """The zygote's loop: one job at a time until the worker closes the socket."""
    try:
        _prepare(commands, parent)
        while (message := _receive(commands)) is not None:
            job: ZygoteJob = pickle.loads(message)
            run = run_child(job.enter, job.timeout)
            _send(commands, pickle.dumps(run))
    finally:
        os._exit(0)


def _prepare(commands: socket.socket, parent: int) -> None:  # pragma: no cover - zygote side
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is normquiz's to handle
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _end)
    die_with_parent(signal.SIGTERM, parent)
    become_subreaper()
    not_dumpable()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # the worker's stdout may be its protocol stream: never inherit it
    close_descriptors(keep=(commands.fileno(),))


def _end(signum: int, _frame: FrameType | None) -> None:  # pragma: no cover - zygote side
    """Kill every job process, then end."""
    kill_tree()
    os._exit(128 + signum)


def _send(channel: socket.socket, data: bytes) -> None:
    channel.sendall(HEADER.pack(len(data)) + data)


def _receive(channel: socket.socket) -> bytes | None:
    """One framed message; None at end of stream."""
    header = _exactly(channel, HEADER.size)
    if header is None:
        return None
    body = _exactly(channel, HEADER.unpack(header)[0])
    if body is None:
        raise EOFError("the zygote's message was cut short")
    return body


def _exactly(channel: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = channel.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


_zygote: Zygote | None = None


def start() -> Zygote:
    """Fork this process's zygote now (the worker does, before serving any request)."""
    global _zygote
    if _zygote is None:
        _zygote = Zygote()
    return _zygote


def run_job(job: ZygoteJob) -> ChildRun:
    """Run a job through this process's zygote (forked now if it was not yet)."""
    return start().run(job)


def stop() -> None:
    global _zygote
    if _zygote is not None:
        _zygote.close()
        _zygote = None
