"""The sandbox worker: a long-lived process that serves requests one JSON line at a time.

Run as ``python -m normquiz.sandbox.worker SPEC_JSON`` (see ``WorkerSpec``); started by
``normquiz.sandbox.client.SandboxWorker``. It runs the spec's warm-up functions once,
becomes a child subreaper (so every process a job leaves behind can be found and
killed), forks its zygote (``normquiz.sandbox.zygote``) before loading any handler, then
answers requests. Untrusted code never runs in this process: handlers run it in children
of the zygote through ``normquiz.sandbox.jobs``.

Ctrl-C is ignored here (normquiz decides what an interruption ends); SIGTERM, SIGHUP and
the death of normquiz end the zygote, every job process, then the worker.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import traceback
from collections.abc import Mapping
from types import FrameType
from typing import TextIO

from normquiz.sandbox import zygote
from normquiz.sandbox.process import become_subreaper, die_with_parent, kill_tree, not_dumpable
from normquiz.sandbox.protocol import (
    PING,
    Handler,
    WorkerReply,
    WorkerRequest,
    WorkerSpec,
    resolve,
)

PARENT_ENV = "NORMQUIZ_WORKER_PARENT"
ROOT_ENV = "NORMQUIZ_SANDBOX_ROOT"  # the directory every job's files live in


def handle(line: str, handlers: Mapping[str, Handler]) -> WorkerReply:
    """One request line to one reply; a failure here is reported, the worker goes on."""
    try:
        request = WorkerRequest.from_json(line)
    except Exception:  # noqa: BLE001 - reported to the client
        return WorkerReply(internal_error=traceback.format_exc(limit=8))
    try:
        if request.op == PING:
            return WorkerReply({"pid": os.getpid()}, id=request.id)
        handler = handlers.get(request.op)
        if handler is None:
            return WorkerReply(internal_error=f"unknown operation {request.op!r}", id=request.id)
        return WorkerReply(handler(request.payload), id=request.id)
    except Exception:  # noqa: BLE001 - reported to the client
        return WorkerReply(internal_error=traceback.format_exc(limit=8), id=request.id)


def load_handlers(spec: WorkerSpec) -> dict[str, Handler]:
    return {op: resolve(target) for op, target in spec.operations.items()}  # type: ignore[misc]


def serve(spec: WorkerSpec, requests: TextIO, replies: TextIO) -> None:
    """Announce readiness, then answer each request line until stdin ends."""
    handlers = load_handlers(spec)
    replies.write(WorkerReply({"ready": True, "pid": os.getpid()}).to_json() + "\n")
    for line in requests:
        replies.write(handle(line, handlers).to_json() + "\n")


def _end(signum: int, _frame: FrameType | None) -> None:
    """End the zygote and every job process, then the worker."""
    zygote.stop()
    kill_tree()
    root = os.environ.get(ROOT_ENV)
    if root:
        shutil.rmtree(root, ignore_errors=True)
    os._exit(128 + signum)


def _guard() -> None:
    """Signals, parent death, and no access to this process for learner code."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _end)
    parent = os.environ.pop(PARENT_ENV, "")
    if parent.isdigit():
        die_with_parent(signal.SIGTERM, int(parent))
    not_dumpable()
    become_subreaper()


def main() -> None:
    _guard()
    spec = WorkerSpec.from_json(sys.argv[1])
    for target in spec.warm:
        resolve(target)()
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray prints (ours or a library's) never reach the protocol stream
    sys.stdout = sys.stderr
    zygote.start()  # before any handler is loaded or request read: a pristine process
    serve(spec, sys.stdin, replies)


if __name__ == "__main__":
    main()
