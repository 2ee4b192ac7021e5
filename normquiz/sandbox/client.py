"""normquiz's side of the sandbox worker: start it, send requests, read replies."""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from normquiz.exceptions import GraderError
from normquiz.sandbox.process import descendants, is_stopped, not_dumpable, signal_name
from normquiz.sandbox.protocol import PING, JsonObject, WorkerReply, WorkerRequest, WorkerSpec
from normquiz.sandbox.worker import PARENT_ENV, ROOT_ENV

T = TypeVar("T")
# What decoding a reply raises when it is not what it should be (JSONDecodeError is a
# ValueError; exact_fields raises ValueError; a wrong shape, TypeError or KeyError).
MALFORMED = (ValueError, TypeError, KeyError)
MAX_REPLY_BYTES = 64 * 1024 * 1024
CANCEL_GRACE_S = 0.3  # for the worker's own cleanup after SIGTERM, before SIGKILL
CANCELLED = "the request was cancelled: the worker and every process it started were stopped"


class SandboxWorker:
    """A worker process started once and reused by every request of this normquiz process."""

    def __init__(self, spec: WorkerSpec) -> None:
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the worker runs
        self._root = tempfile.mkdtemp(prefix="normquiz-sandbox-")  # every job's files, removed
        env = {
            **os.environ,
            "OMP_NUM_THREADS": "1",
            "PYTHONUNBUFFERED": "1",
            PARENT_ENV: str(os.getpid()),
            ROOT_ENV: self._root,
            "TMPDIR": self._root,
        }
        not_dumpable()  # code under test cannot read our memory or open our descriptors
        self._socket, theirs = socket.socketpair()  # unlike a pipe, not re-openable via /proc
        self._process = subprocess.Popen(
            [sys.executable, "-m", "normquiz.sandbox.worker", spec.to_json()],
            stdin=theirs.fileno(),
            stdout=theirs.fileno(),
            stderr=self._log,
            env=env,
        )
        theirs.close()
        self._ready = False
        self._lock = threading.Lock()
        self._pending = bytearray()
        self._warming: threading.Thread | None = None
        self._cancelled = False

    def warm_in_background(self) -> None:
        """Wait for the worker's start in a thread; a failure shows at the next request."""
        self._warming = threading.Thread(target=self._wait_ready_quietly, daemon=True)
        self._warming.start()

    def _wait_ready_quietly(self) -> None:
        # Whatever happens here (close() may end the worker and close the socket meanwhile)
        # is reported by the next request(), in the main thread; never by this thread.
        with contextlib.suppress(Exception):
            self._wait_ready()

    def _wait_ready(self) -> None:
        with self._lock:
            if not self._ready:
                self._read()
                self._ready = True

    def request(self, op: str, payload: JsonObject) -> JsonObject:
        """Send one request and wait for its reply's payload."""
        self._wait_ready()
        with self._lock:
            request = WorkerRequest(op, payload, secrets.randbits(62) + 1)  # unguessable
            self._send(request)
            reply = self._read()
            if reply.id != request.id:
                self._process.kill()
                raise GraderError(
                    f"the sandbox worker answered request {reply.id} to request {request.id}: "
                    "something wrote into its reply stream; the worker was stopped"
                )
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
        try:
            self._socket.sendall((request.to_json() + "\n").encode())
        except OSError:
            raise GraderError(self._crash_message()) from None

    def _read(self) -> WorkerReply:
        line = self._read_line()
        try:
            return WorkerReply.from_json(line.decode("utf-8"))
        except (*MALFORMED, UnicodeDecodeError) as error:
            raise GraderError(
                f"the sandbox worker sent a malformed reply ({error}): {line[:200]!r}"
            ) from None

    def _read_line(self) -> bytes:
        """One reply line; a worker that died or was stopped is an error, never a hang."""
        while b"\n" not in self._pending:
            ready, _, _ = select.select([self._socket], [], [], 0.25)
            if not ready:
                self._check_alive()
                continue
            try:
                chunk = self._socket.recv(1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                raise GraderError(self._crash_message())
            self._pending += chunk
            if len(self._pending) > MAX_REPLY_BYTES:
                self._process.kill()
                raise GraderError("the sandbox worker's reply is too large; it was stopped")
        line, _, rest = bytes(self._pending).partition(b"\n")
        self._pending = bytearray(rest)
        return line

    def _check_alive(self) -> None:
        if is_stopped(self._process.pid):
            self._process.kill()
            raise GraderError(
                "the sandbox worker was stopped (SIGSTOP) while it worked, by the code under "
                "test or another program; it was ended, nothing was recorded"
            )

    def _crash_message(self) -> str:
        if self._cancelled:
            return CANCELLED
        try:  # its pipe closes a moment before its exit status can be read
            code: int | None = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        self._log.seek(0)
        tail = self._log.read()[-2000:].decode("utf-8", "replace").strip()
        if code is not None and code < 0:
            name = signal_name(-code)
            return (
                f"the sandbox worker was killed by {name} while it worked (by the code under "
                "test or another program); nothing was recorded"
            )
        return f"the sandbox worker (it runs checks and proofs) stopped unexpectedly:\n{tail}"

    def cancel(self) -> None:
        """End the request under way, from another thread: the worker is stopped with every
        process it started, and the waiting request raises GraderError (``CANCELLED``). The
        worker serves no more requests; close() it and start another."""
        self._cancelled = True
        self._stop(CANCEL_GRACE_S)

    def _stop(self, grace: float) -> None:
        """SIGTERM makes the worker end its zygote and every job process first; after
        ``grace`` seconds the worker and whatever it started are killed."""
        if self._process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._process.pid, signal.SIGCONT)
        self._process.terminate()
        try:
            self._process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            left = descendants(self._process.pid)
            self._process.kill()
            for pid in left:  # the zygote would end them too (parent-death signals)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        """Stop the worker (see ``_stop``) and release what this side holds."""
        self._stop(grace=5)
        self._process.wait()
        if self._warming is not None:  # it ends now: the worker's end closed its stream
            self._warming.join(timeout=5)
        self._socket.close()
        self._log.close()
        shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> SandboxWorker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
