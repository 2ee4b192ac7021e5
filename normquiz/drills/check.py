"""Checking a learner file against a drill (normquiz's side: no torch, no learner code).

Syntax errors and statically visible banned calls are reported before any process starts;
everything else goes to the grading worker's "check" operation.
"""

from __future__ import annotations

import time
from pathlib import Path

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.request import CHECK_OPERATION, CheckRequest, MistakeRef
from normquiz.drills.results import CheckResult, Verdict, banned_diagnosis
from normquiz.drills.static import banned_calls, syntax_error
from normquiz.exceptions import UsageError
from normquiz.sandbox.client import SandboxWorker

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 4096


def check_file(
    bank: Bank,
    drill: Drill,
    path: Path,
    worker: SandboxWorker,
    *,
    seed: int = 0,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> CheckResult:
    """Grade ``path`` against ``drill``."""
    started = time.perf_counter()
    verdict = _static_verdict(drill, _read(path), path)
    if verdict is None:
        request = build_request(bank, drill, path, seed, timeout, memory_mb)
        verdict = worker.call(CHECK_OPERATION, request.to_json(), Verdict.from_json)
    return CheckResult(drill.id, str(path), verdict, round(time.perf_counter() - started, 4))


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path} (run `normquiz drill ID` to create it)") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


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
    bank: Bank, drill: Drill, path: Path, seed: int, timeout: float, memory_mb: int
) -> CheckRequest:
    base = bank.drill_dirs[drill.id]
    return CheckRequest(
        path=str(path.resolve()),
        function=drill.function,
        protocol=drill.protocol,
        reference=drill.reference,
        cases=drill.cases,
        tolerances={k: (v.atol, v.rtol) for k, v in drill.tolerances.items()},
        mistakes=tuple(
            MistakeRef(m.id, m.explanation, str((base / m.file).resolve())) for m in drill.mistakes
        ),
        banned=tuple(drill.banned_names()),
        seed=seed,
        timeout=timeout,
        memory_mb=memory_mb,
    )
