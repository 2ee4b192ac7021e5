"""Running a question's `verify` snippet in a forked child; it reports `answer` if it sets one."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from normquiz.sandbox.child import _isolate_stdio, _limit, describe


def snippet_main(output_fd: int, job_dir: Path, code: str, memory_bytes: int) -> None:
    """Entry point after fork. Never returns."""
    report: dict[str, object] = {}
    try:
        os.setsid()
        _isolate_stdio(output_fd)
        _limit(memory_bytes)
        namespace: dict[str, object] = {"__name__": "__verify__"}
        try:
            exec(compile(code, "<verify>", "exec"), namespace)  # trusted bank content
            report["answer"] = _plain(namespace.get("answer"))
        except BaseException as error:  # noqa: BLE001
            report["error"] = describe(error, Path("<verify>"))
    except BaseException as error:  # noqa: BLE001
        report["error"] = f"{type(error).__name__}: {error}"
    (job_dir / "report.json").write_text(json.dumps(report))
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
