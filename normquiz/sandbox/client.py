"""The normquiz side of the grading worker: start it, send requests, read answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading

from normquiz.exceptions import NormquizError


class GraderError(NormquizError):
    """The grading worker itself failed (a normquiz bug, not the learner's)."""


class GradingWorker:
    """A worker process started once and reused by every check of this normquiz process."""

    def __init__(self) -> None:
        self._log = tempfile.TemporaryFile()
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "normquiz.sandbox.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._log, text=True, env=env)
        self._ready = False
        self._lock = threading.Lock()

    def warm_in_background(self) -> None:
        threading.Thread(target=self._wait_ready, daemon=True).start()

    def _wait_ready(self) -> None:
        with self._lock:
            if not self._ready:
                self._read()
                self._ready = True

    def request(self, payload: dict) -> dict:
        self._wait_ready()
        with self._lock:
            assert self._process.stdin
            try:
                self._process.stdin.write(json.dumps(payload) + "\n")
                self._process.stdin.flush()
            except BrokenPipeError:
                raise GraderError(self._crash_message()) from None
            response = self._read()
        if "internal_error" in response:
            raise GraderError("internal grader error:\n" + response["internal_error"])
        return response

    def _read(self) -> dict:
        assert self._process.stdout
        line = self._process.stdout.readline()
        if not line:
            raise GraderError(self._crash_message())
        return json.loads(line)

    def _crash_message(self) -> str:
        self._log.seek(0)
        tail = self._log.read()[-2000:].decode("utf-8", "replace")
        return f"the grading worker stopped unexpectedly:\n{tail}"

    def close(self) -> None:
        """Stop the worker. It holds no state between requests and has already killed every
        learner process, so it is killed outright (a torch interpreter's teardown is slow)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream:
                stream.close()
        self._log.close()

    def __enter__(self) -> GradingWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
