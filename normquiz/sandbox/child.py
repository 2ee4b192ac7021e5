"""What runs in the forked child: the learner's module on every case, outputs to .npy files.

The child never decides the verdict: it writes plain arrays and a JSON report of what
happened; the grading process compares. It always ends with os._exit.
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.protocols import OutputError
from normquiz.sandbox.guards import BannedCall, install

MAX_MESSAGE = 3000


def child_main(output_fd: int, job_dir: Path, learner: Path, function: str,
               protocol: Callable, cases: Sequence[Case], banned: Sequence[str],
               memory_bytes: int) -> None:
    """Entry point after fork. Never returns."""
    report: dict[str, object] = {"cases": [], "banned": []}
    try:
        os.setsid()  # own process group: the supervisor kills the whole group
        isolate_stdio(output_fd)
        apply_limits(memory_bytes)
        recorder = install(banned)
        try:
            _run(report, learner, function, protocol, cases, job_dir)
        finally:
            report["banned"] = sorted(set(recorder.hits))
    except BaseException as error:  # noqa: BLE001 - the child must always report
        report["harness_error"] = f"{type(error).__name__}: {error}"[:MAX_MESSAGE]
    write_report(job_dir, report)
    os._exit(0)


def isolate_stdio(output_fd: int) -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the worker's request pipe is not the learner's to read
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)


def apply_limits(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run(report: dict, learner: Path, function: str, protocol: Callable,
         cases: Sequence[Case], job_dir: Path) -> None:
    try:
        module = _import(learner)
    except BaseException as error:  # noqa: BLE001
        report["import_error"] = describe(error, learner)
        report["memory"] = _is_memory(error)
        return
    target = getattr(module, function, None)
    if not callable(target):
        report["import_error"] = f"your file defines no function `{function}`"
        return
    for index, case in enumerate(cases):
        entry = _run_case(index, case, target, protocol, learner, job_dir)
        report["cases"].append(entry)
        if entry.get("stop"):
            break


def _import(learner: Path):
    spec = importlib.util.spec_from_file_location("learner_solution", learner)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["learner_solution"] = module
    spec.loader.exec_module(module)
    return module


def _run_case(index: int, case: Case, target: Callable, protocol: Callable, learner: Path,
              job_dir: Path) -> dict[str, object]:
    try:
        outputs = protocol(target, case)
    except OutputError as error:
        return {"index": index, "output_error": str(error)[:MAX_MESSAGE]}
    except BannedCall as error:
        return {"index": index, "error": str(error), "banned": True}
    except (SystemExit, KeyboardInterrupt, GeneratorExit) as error:
        return {"index": index, "error": describe(error, learner), "stop": True}
    except BaseException as error:  # noqa: BLE001
        return {"index": index, "error": describe(error, learner), "memory": _is_memory(error)}
    for k, array in enumerate(outputs):
        np.save(job_dir / f"case{index}_{k}.npy", array, allow_pickle=False)
    return {"index": index, "outputs": len(outputs)}


def _is_memory(error: BaseException) -> bool:
    text = str(error).lower()
    return isinstance(error, MemoryError) or "can't allocate memory" in text or "out of memory" in text


def describe(error: BaseException, learner: Path) -> str:
    """The exception and the traceback trimmed to the learner's own file."""
    if isinstance(error, SystemExit):
        head = f"your code called sys.exit({error.code!r})"
    elif isinstance(error, KeyboardInterrupt):
        head = "KeyboardInterrupt was raised inside your code"
    else:
        head = f"{type(error).__name__}: {error}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(learner)]
    lines = [f"  {learner.name}, line {f.lineno}, in {f.name}: {(f.line or '').strip()}" for f in frames]
    return "\n".join([head[:MAX_MESSAGE], *lines[-8:]])


def write_report(job_dir: Path, report: dict) -> None:
    partial = job_dir / "report.json.partial"
    partial.write_text(json.dumps(report))
    partial.rename(job_dir / "report.json")
