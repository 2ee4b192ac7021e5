"""Running a question's `verify` snippet in a forked child; it reports `answer` if it sets one."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import shutil
import tempfile

from normquiz.sandbox.child import apply_limits, describe, isolate_stdio, write_report
from normquiz.sandbox.supervisor import run_child


def snippet_main(output_fd: int, job_dir: Path, code: str, memory_bytes: int) -> None:
    """Entry point after fork. Never returns."""
    report: dict[str, object] = {}
    try:
        os.setsid()
        isolate_stdio(output_fd)
        apply_limits(memory_bytes)
        namespace: dict[str, object] = {"__name__": "__verify__"}
        try:
            exec(compile(code, "<verify>", "exec"), namespace)  # trusted bank content
            report["answer"] = _plain(namespace.get("answer"))
        except BaseException as error:  # noqa: BLE001
            report["error"] = describe(error, Path("<verify>"))
    except BaseException as error:  # noqa: BLE001
        report["error"] = f"{type(error).__name__}: {error}"
    write_report(job_dir, report)
    os._exit(0)


def _plain(value: object) -> object:
    """A JSON-ready answer: bool, a finite number, or None."""
    if value is None or isinstance(value, bool):
        return value
    try:
        number = float(value)  # torch and numpy scalars too
    except (TypeError, ValueError):
        return repr(value)[:200]
    return number if math.isfinite(number) else repr(value)


def run_snippet(request: dict) -> dict:
    """Run a verify snippet in a forked child; report its answer, error and output."""
    job_dir = Path(tempfile.mkdtemp(prefix="normquiz-verify-"))
    try:
        memory = int(request.get("memory_mb", 4096)) * 1024 * 1024
        run = run_child(lambda fd: snippet_main(fd, job_dir, request["code"], memory),
                        float(request.get("timeout", 60)))
        report_file = job_dir / "report.json"
        report = json.loads(report_file.read_text()) if report_file.exists() else None
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
    if run.timed_out:
        return {"status": "timeout", "output": run.output, "seconds": run.seconds}
    if report is None:
        return {"status": "error", "error": "the snippet ended its process", "output": run.output}
    status = "error" if "error" in report else "ok"
    return {"status": status, **report, "output": run.output, "seconds": run.seconds}
