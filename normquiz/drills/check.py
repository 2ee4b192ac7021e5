"""Checking a learner file against a drill (normquiz's side: no torch, no learner code).

Syntax errors and statically visible banned calls are reported before any process starts;
everything else goes to the grading worker.
"""

from __future__ import annotations

import time
from pathlib import Path

from normquiz.bank.loader import Bank
from normquiz.drills.schema import Drill
from normquiz.drills.static import banned_calls, syntax_error
from normquiz.exceptions import UsageError
from normquiz.paths import user_home
from normquiz.sandbox.client import GradingWorker

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 4096


def workspace_dir() -> Path:
    return user_home() / "workspace"


def workspace_file(drill: Drill, directory: Path | None = None) -> Path:
    return (directory or workspace_dir()) / f"{drill.id}.py"


def find_drill(bank: Bank, drill_id: str) -> Drill:
    drill = bank.drills.get(drill_id)
    if drill is None:
        known = ", ".join(sorted(bank.drills)) or "none"
        raise UsageError(f"unknown drill '{drill_id}'; drills: {known}")
    return drill


def check_file(bank: Bank, drill: Drill, path: Path, worker: GradingWorker, *, seed: int = 0,
               timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB) -> dict:
    """Grade ``path``; the result is the JSON object `check --json` prints."""
    started = time.perf_counter()
    source = _read(path)
    result = _static_result(drill, source, path)
    if result is None:
        result = worker.request(_request(bank, drill, path, seed, timeout, memory_mb))
    result = {"drill": drill.id, "path": str(path), **result}
    result["time_s"] = round(time.perf_counter() - started, 4)
    return result


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path} (run `normquiz drill ID` to create it)") from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _static_result(drill: Drill, source: str, path: Path) -> dict | None:
    found = syntax_error(source, str(path))
    if found:
        return _early("error", f"{path.name}:{found.line}:{found.column}: {found.message}")
    banned = banned_calls(source, drill.banned_names())
    if banned:
        first = banned[0]
        result = _early("fail", f"{path.name}:{first.line}:{first.column}: {first.message}")
        result["diagnosis"] = [{"id": "banned-api", "message": f"you used {first.banned}; this "
                                "drill asks you to write the computation yourself"}]
        return result
    return None


def _early(status: str, message: str) -> dict:
    return {"status": status, "message": message, "cases": [], "diagnosis": [],
            "first_failure": None, "output": None}


def _request(bank: Bank, drill: Drill, path: Path, seed: int, timeout: float, memory_mb: int) -> dict:
    base = bank.drill_dirs[drill.id]
    return {
        "op": "check", "path": str(path.resolve()), "function": drill.function,
        "protocol": drill.protocol, "reference": drill.reference, "cases": drill.cases,
        "tolerances": {k: v.model_dump() for k, v in drill.tolerances.items()},
        "mistakes": [{"id": m.id, "explanation": m.explanation, "path": str((base / m.file).resolve())}
                     for m in drill.mistakes],
        "banned": drill.banned_names(), "seed": seed, "timeout": timeout, "memory_mb": memory_mb,
    }
