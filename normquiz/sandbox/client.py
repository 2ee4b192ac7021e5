"""normquiz's side of the sandbox worker: start it, send requests, read replies."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from normquiz.exceptions import GraderError
from normquiz.sandbox.protocol import PING, JsonObject, WorkerReply, WorkerRequest, WorkerSpec

T = TypeVar("T")
# What decoding a reply raises when it is not what it should be (JSONDecodeError is a
# ValueError; exact_fields raises ValueError; a wrong shape, TypeError or KeyError).
MALFORMED = (ValueError, TypeError, KeyError)


class SandboxWorker:
    """A worker process started once and reused by every request of this normquiz process."""

    def __init__(self, spec: WorkerSpec) -> None:
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the worker runs
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "normquiz.sandbox.worker", spec.to_json()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env=env,
        )
        self._ready = False
        self._lock = threading.Lock()

    def warm_in_background(self) -> None:
        """Wait for the worker's start in a thread; a failure shows at the next request."""
        threading.Thread(target=self._wait_ready_quietly, daemon=True).start()

    def _wait_ready_quietly(self) -> None:
        with contextlib.suppress(GraderError, OSError, ValueError):
            self._wait_ready()  # a failure is reported by the next request(), in the main thread

    def _wait_ready(self) -> None:
        with self._lock:
            if not self._ready:
                self._read()
                self._ready = True

    def request(self, op: str, payload: JsonObject) -> JsonObject:
        """Send one request and wait for its reply's payload."""
        self._wait_ready()
        with self._lock:
            self._send(WorkerRequest(op, payload))
            reply = self._read()
        if reply.internal_error is not None:
            raise GraderError("internal error in the sandbox worker:\n" + reply.internal_error)
        return reply.payload

    def call(self, op: str, payload: JsonObject, decode: Callable[[JsonObject], T]) -> T:
        """Send one request and decode its reply into the operation's typed result."""
        reply = self.request(op, payload)
        try:
            return decode(reply)
        except MALFORMED as error:
            raise GraderError(f"the sandbox worker's {op!r} reply is malformed: {error}") from None

    def ping(self) -> int:
        """The worker's pid, once it answers."""
        return int(str(self.request(PING, {})["pid"]))

    def _send(self, request: WorkerRequest) -> None:
        stdin = self._process.stdin
        if stdin is None:
            raise GraderError(self._crash_message())
        try:
            stdin.write(request.to_json() + "\n")
            stdin.flush()
        except BrokenPipeError:
            raise GraderError(self._crash_message()) from None

    def _read(self) -> WorkerReply:
        stdout = self._process.stdout
        line = stdout.readline() if stdout is not None else ""
        if not line:
            raise GraderError(self._crash_message())
        try:
            return WorkerReply.from_json(line)
        except MALFORMED as error:
            raise GraderError(
                f"the sandbox worker sent a malformed reply ({error}): {line[:200]!r}"
            ) from None

    def _crash_message(self) -> str:
        self._log.seek(0)
        tail = self._log.read()[-2000:].decode("utf-8", "replace")
        return f"the sandbox worker (it runs checks and proofs) stopped unexpectedly:\n{tail}"

    def close(self) -> None:
        """Stop the worker. It holds no state between requests and has already killed every
        child, so it is killed outright (a torch interpreter's teardown is slow)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream:
                stream.close()
        self._log.close()

    def __enter__(self) -> SandboxWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
