"""The sandbox worker: a long-lived process that serves requests one JSON line at a time.

Run as ``python -m normquiz.sandbox.worker SPEC_JSON`` (see ``WorkerSpec``); started by
``normquiz.sandbox.client.SandboxWorker``. It runs the spec's warm-up functions once,
becomes a child subreaper (so every process a job leaves behind can be found and
killed), then answers requests. Untrusted code never runs in this process: handlers
fork a child for it through ``normquiz.sandbox.jobs``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Mapping
from typing import TextIO

from normquiz.sandbox.protocol import (
    PING,
    Handler,
    WorkerReply,
    WorkerRequest,
    WorkerSpec,
    resolve,
)
from normquiz.sandbox.supervisor import become_subreaper


def handle(line: str, handlers: Mapping[str, Handler]) -> WorkerReply:
    """One request line to one reply; a failure here is reported, the worker goes on."""
    try:
        request = WorkerRequest.from_json(line)
        if request.op == PING:
            return WorkerReply({"pid": os.getpid()})
        handler = handlers.get(request.op)
        if handler is None:
            return WorkerReply(internal_error=f"unknown operation {request.op!r}")
        return WorkerReply(handler(request.payload))
    except Exception:  # noqa: BLE001 - reported to the client
        return WorkerReply(internal_error=traceback.format_exc(limit=8))


def load_handlers(spec: WorkerSpec) -> dict[str, Handler]:
    return {op: resolve(target) for op, target in spec.operations.items()}  # type: ignore[misc]


def serve(spec: WorkerSpec, requests: TextIO, replies: TextIO) -> None:
    """Announce readiness, then answer each request line until stdin ends."""
    handlers = load_handlers(spec)
    replies.write(WorkerReply({"ready": True, "pid": os.getpid()}).to_json() + "\n")
    for line in requests:
        replies.write(handle(line, handlers).to_json() + "\n")


def main() -> None:
    spec = WorkerSpec.from_json(sys.argv[1])
    for target in spec.warm:
        resolve(target)()
    become_subreaper()
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # stray prints must never corrupt the protocol stream
    serve(spec, sys.stdin, replies)


if __name__ == "__main__":
    main()
