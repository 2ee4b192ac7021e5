"""Checking a learner file against a drill (normquiz's side: no torch, no learner code).

Syntax errors and statically visible banned calls are reported before any process starts;
everything else goes to the grading worker's "check" operation.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

from normquiz.bank.case_spec import cases_json
from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.limits import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    MAX_MEMORY_MB,
    MAX_SUBMISSION_BYTES,
)
from normquiz.drills.request import (
    CHECK_OPERATION,
    DECLARED,
    REFERENCE_FAILED,
    CheckRequest,
    MistakeRef,
)
from normquiz.drills.results import CheckResult, Verdict, banned_diagnosis
from normquiz.drills.static import banned_calls, syntax_error
from normquiz.exceptions import FileRefused, UsageError
from normquiz.sandbox.client import SandboxWorker
from normquiz.sandbox.files import read_regular, require_regular


def check_file(
    bank: Bank,
    drill: Drill,
    path: Path,
    worker: SandboxWorker,
    *,
    seed: int = 0,
    timeout: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> CheckResult:
    """Grade ``path`` against ``drill``."""
    validate_limits(seed, timeout, memory_mb)
    started = time.perf_counter()
    source = read_submission(path)
    verdict = _static_verdict(drill, source, path)
    if verdict is None:  # the text checked here is the text that runs: saving meanwhile is safe
        request = build_request(bank, drill, path, seed, timeout, memory_mb, source)
        verdict = worker.call(CHECK_OPERATION, request.to_json(), Verdict.from_json)
    return CheckResult(drill.id, str(path), verdict, round(time.perf_counter() - started, 4))


def reference_failed(result: CheckResult) -> bool:
    """Whether the check failed because the drill's own reference (bank code) did."""
    return result.verdict.message.startswith(REFERENCE_FAILED)


def read_submission(path: Path) -> str:
    """The submission's text: a regular file of at most ``MAX_SUBMISSION_BYTES``, read
    without blocking (a FIFO or a device named as the file is refused, never opened)."""
    try:
        require_regular(_stat(path), MAX_SUBMISSION_BYTES)
        data = read_regular(path, MAX_SUBMISSION_BYTES)  # and again once open: it may change
    except FileRefused as refused:
        raise _refused(path, refused) from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    return data.decode("utf-8", "replace")


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    except ValueError as error:  # an embedded null byte
        raise UsageError(f"cannot read {path!r}: {error}") from None


def _refused(path: Path, refused: FileRefused) -> UsageError:
    if refused.kind is not None:
        return UsageError(f"{path} is {refused.kind}, not a drill file (a Python source file)")
    return UsageError(
        f"{path} is {refused.size:,} bytes; a drill file can be at most "
        f"{MAX_SUBMISSION_BYTES:,} bytes"
    )


def validate_limits(seed: int, timeout: float, memory_mb: int) -> None:
    """The numbers a check runs with: a usage error for any the grader cannot honour."""
    if seed < 0:
        raise UsageError(f"the seed must be an integer of 0 or more, got {seed}")
    if not (math.isfinite(timeout) and timeout > 0):
        raise UsageError(f"the time-out must be a positive number of seconds, got {timeout}")
    if not 0 < memory_mb <= MAX_MEMORY_MB:
        raise UsageError(f"the memory limit must be 1 to {MAX_MEMORY_MB} MB, got {memory_mb}")


def _static_verdict(drill: Drill, source: str, path: Path) -> Verdict | None:
    found = syntax_error(source, str(path))
    if found:
        return Verdict("error", f"{path.name}:{found.line}:{found.column}: {found.message}")
    banned = banned_calls(source, drill.banned_names())
    if banned:
        first = banned[0]
        return Verdict(
            "fail",
            f"{path.name}:{first.line}:{first.column}: {first.message}",
            diagnosis=(banned_diagnosis(first.banned or ""),),
        )
    return None


def build_request(
    bank: Bank,
    drill: Drill,
    path: Path,
    seed: int,
    timeout: float,
    memory_mb: int,
    source: str | None = None,
) -> CheckRequest:
    base = bank.drill_dirs[drill.id]
    return CheckRequest(
        path=str(path.resolve()),
        function=drill.function,
        protocol=drill.protocol,
        reference=drill.reference if isinstance(drill.reference, str) else DECLARED,
        cases=drill.cases if isinstance(drill.cases, str) else DECLARED,
        tolerances={k: (v.atol, v.rtol) for k, v in drill.tolerances.items()},
        mistakes=tuple(
            MistakeRef(m.id, m.explanation, str((base / m.file).resolve())) for m in drill.mistakes
        ),
        banned=tuple(drill.banned_names()),
        seed=seed,
        timeout=timeout,
        memory_mb=memory_mb,
        source=source,
        reference_file=None
        if isinstance(drill.reference, str)
        else str((base / drill.reference.file).resolve()),
        case_specs=None if isinstance(drill.cases, str) else cases_json(drill.cases),
    )
