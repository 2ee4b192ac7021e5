"""Executable answers: running a question's ``verify`` snippet in the sandbox.

The snippet runs in a forked child of the worker (the "verify" operation); it proves its
claims with ``assert`` and may set ``answer``, which the question's key must match.
Used by ``lint --exec`` and by the quiz's ``p`` key.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from normquiz.bank.schema import Question
from normquiz.exceptions import MalformedReport
from normquiz.sandbox.child import ChildReport, describe
from normquiz.sandbox.client import SandboxWorker
from normquiz.sandbox.jobs import SandboxJob
from normquiz.sandbox.protocol import WorkerSpec, exact_fields
from normquiz.sandbox.supervisor import CapturedOutput, ChildRun

VERIFY_OPERATION = "verify"
SNIPPET_NAME = "<verify>"
PROOFS = WorkerSpec(
    operations={VERIFY_OPERATION: "normquiz.authoring.proofs:verify_operation"},
    warm=("normquiz.authoring.proofs:warm",),
)
ProofStatus = Literal["ok", "error", "timeout"]


@dataclass(frozen=True)
class VerifyRequest:
    code: str
    timeout: float = 60.0
    memory_mb: int = 4096

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "timeout": self.timeout, "memory_mb": self.memory_mb}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VerifyRequest:
        return cls(**exact_fields(data, cls))


@dataclass(frozen=True)
class VerifyResult:
    """How a snippet ended: ``answer`` is what it set (a bool, a finite number, a repr)."""

    status: ProofStatus
    answer: bool | float | str | None = None
    error: str | None = None
    output: CapturedOutput | None = None
    seconds: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "answer": self.answer,
            "error": self.error,
            "output": None if self.output is None else self.output.to_json(),
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VerifyResult:
        fields = exact_fields(data, cls)
        output = fields["output"]
        return cls(
            **{**fields, "output": None if output is None else CapturedOutput.from_json(output)}
        )


def warm() -> None:
    """Run once when a proof worker starts: torch loaded, one thread (forking stays safe)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch

    torch.set_num_threads(1)


def verify_operation(payload: dict[str, Any]) -> dict[str, Any]:
    """The worker's "verify" operation: run one snippet in a sandbox child."""
    request = VerifyRequest.from_json(payload)
    with SandboxJob("verify") as job:
        run = job.run(partial(_snippet_body, request.code), request.timeout, request.memory_mb)
        try:
            child = job.report()
            if child is not None and child.body is not None:
                SnippetReport.from_json(child.body)
        except (MalformedReport, ValueError, TypeError) as error:
            return VerifyResult("error", error=str(error), output=run.output).to_json()
    if run.timed_out:
        return VerifyResult("timeout", output=run.output, seconds=run.seconds).to_json()
    if child is None:
        return VerifyResult(
            "error", error="the snippet ended its process", output=run.output
        ).to_json()
    return _result(child, run).to_json()


@dataclass(frozen=True)
class SnippetReport:
    """What the snippet's child reports: the ``answer`` it set, or its error."""

    answer: bool | float | str | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"answer": self.answer, "error": self.error}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SnippetReport:
        return cls(**exact_fields(data, cls))


def _result(child: ChildReport, run: ChildRun) -> VerifyResult:
    if child.body is None:
        return VerifyResult("error", None, child.harness_error, run.output, run.seconds)
    report = SnippetReport.from_json(child.body)
    status: ProofStatus = "error" if report.error else "ok"
    return VerifyResult(status, report.answer, report.error, run.output, run.seconds)


def _snippet_body(code: str) -> dict[str, Any]:
    """Runs in the child: execute the snippet (trusted bank content) with every random
    generator seeded, so a proof gives the same result on every run; report ``answer``."""
    namespace: dict[str, object] = {"__name__": "__verify__"}
    _seed_everything(0)
    try:
        exec(compile(code, SNIPPET_NAME, "exec"), namespace)
    except BaseException as error:  # noqa: BLE001 - a failed proof is a report, not a crash
        return SnippetReport(error=describe(error, SNIPPET_NAME)).to_json()
    return SnippetReport(answer=plain_answer(namespace.get("answer"))).to_json()


def _seed_everything(seed: int) -> None:
    import random

    import numpy
    import torch

    random.seed(seed)
    numpy.random.seed(seed)
    torch.manual_seed(seed)


def plain_answer(value: object) -> bool | float | str | None:
    """A JSON-ready answer: bool, a finite number (torch and numpy scalars too), or a repr."""
    if value is None or isinstance(value, bool):
        return value
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return repr(value)[:200]
    return number if math.isfinite(number) else repr(value)


def run_verify(worker: SandboxWorker, code: str, timeout: float = 60.0) -> VerifyResult:
    return worker.call(
        VERIFY_OPERATION, VerifyRequest(code, timeout).to_json(), VerifyResult.from_json
    )


def proof_worker() -> SandboxWorker:
    return SandboxWorker(PROOFS)


def verify_problem(question: Question, result: VerifyResult) -> str | None:
    """Why a verify run disagrees with the question, or None when it proves it."""
    if result.status == "timeout":
        return "verify timed out"
    if result.status == "error":
        return "verify failed: " + (result.error or "").replace("\n", " | ")
    return question.proof_problem(result.answer)
