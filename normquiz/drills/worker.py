"""The grading worker: the operations it serves and how to start one.

Light to import on purpose (no bank, no pydantic): a command starts the worker first, so
torch loads in the worker while normquiz loads the bank.
"""

from __future__ import annotations

from normquiz.drills.request import CHECK_OPERATION
from normquiz.sandbox.client import SandboxWorker
from normquiz.sandbox.protocol import WorkerSpec

GRADING = WorkerSpec(
    operations={CHECK_OPERATION: "normquiz.drills.grading:check_operation"},
    warm=("normquiz.drills.harness:warm",),
)


def grading_worker(extra: WorkerSpec | None = None) -> SandboxWorker:
    """A worker that grades drills (and serves ``extra``'s operations too)."""
    return SandboxWorker(GRADING.merged(extra) if extra else GRADING)
