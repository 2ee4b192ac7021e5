"""The grading worker: torch and numpy preloaded, one JSON request per line on stdin.

Learner code never runs in this process: each check forks a child (normquiz.sandbox.child).
Started by normquiz.sandbox.client; run as `python -m normquiz.sandbox.worker`.
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def _warm() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)  # no OpenMP pool: forking a child stays safe
    torch.nn.functional.batch_norm(torch.zeros(2, 1), None, None, training=True)


def handle(request: dict) -> dict:
    if request.get("op") == "check":
        from normquiz.drills.grading import grade

        return grade(request)
    if request.get("op") == "verify":
        from normquiz.sandbox.snippet import run_snippet

        return run_snippet(request)
    if request.get("op") == "ping":
        return {"pong": os.getpid()}
    return {"internal_error": f"unknown op {request.get('op')!r}"}


def main() -> None:
    from normquiz.sandbox.supervisor import become_subreaper

    _warm()
    become_subreaper()
    protocol_out = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # stray prints must never corrupt the protocol stream
    protocol_out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    for line in sys.stdin:
        try:
            response = handle(json.loads(line))
        except Exception:  # noqa: BLE001 - reported to the client, the worker goes on
            response = {"internal_error": traceback.format_exc(limit=8)}
        protocol_out.write(json.dumps(response) + "\n")


if __name__ == "__main__":
    main()
