"""The child side of a sandboxed job: the prelude every child runs, and its report.

A child is forked by the supervisor. It makes its own process group, reads nothing
from the parent's stdin, sends stdout and stderr into the capture pipe, takes its
limits, runs the job's body and writes a ``ChildReport`` (the body's own report, or why
the body could not run) as ``report.json`` in the job directory. It never decides a
verdict and always ends with ``os._exit``.
"""

from __future__ import annotations

import json
import linecache
import os
import resource
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from normquiz.sandbox.protocol import exact_fields, expect_types

MAX_MESSAGE = 3000
REPORT_NAME = "report.json"

JsonObject = dict[str, object]
Body = Callable[[], JsonObject]


@dataclass(frozen=True)
class ChildReport:
    """What a child wrote: its body's report (the feature reads it), or why there is none."""

    body: JsonObject | None = None
    harness_error: str | None = None  # the prelude or the body itself failed

    def to_json(self) -> JsonObject:
        return {"body": self.body, "harness_error": self.harness_error}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChildReport:
        fields = exact_fields(data, cls)
        expect_types(fields, {"body": (dict, None), "harness_error": (str, None)})
        return cls(**fields)


def child_entry(output_fd: int, job_dir: Path, memory_bytes: int, body: Body) -> None:
    """Entry point after fork: prelude, body, report. Never returns."""
    try:
        os.setsid()  # own process group: the supervisor kills the whole group
        isolate_stdio(output_fd)
        apply_limits(memory_bytes)
        report = ChildReport(body=body())
    except BaseException as error:  # noqa: BLE001 - the child must always report
        report = ChildReport(harness_error=f"{type(error).__name__}: {error}"[:MAX_MESSAGE])
    write_report(job_dir, report)
    os._exit(0)


def isolate_stdio(output_fd: int) -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the worker's request pipe is not the child's to read
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    for fd in {devnull, output_fd} - {0, 1, 2}:
        os.close(fd)


def apply_limits(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def is_memory_error(error: BaseException) -> bool:
    """Whether an exception means the address-space limit was hit."""
    text = str(error).lower()
    return (
        isinstance(error, MemoryError) or "can't allocate memory" in text or "out of memory" in text
    )


def describe(error: BaseException, filename: str) -> str:
    """The exception and its traceback trimmed to frames of ``filename``."""
    if isinstance(error, SystemExit):
        head = f"your code called sys.exit({error.code!r})"
    elif isinstance(error, KeyboardInterrupt):
        head = "KeyboardInterrupt was raised inside your code"
    else:
        head = f"{type(error).__name__}: {error}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == filename]
    name = Path(filename).name
    lines = [f"  {name}, line {f.lineno}, in {f.name}: {(f.line or '').strip()}" for f in frames]
    return "\n".join([head[:MAX_MESSAGE], *lines[-8:]])


def run_as_module(name: str, filename: str, source: str) -> ModuleType:
    """Run ``source`` as the module ``name`` from ``filename`` (registered in sys.modules),
    with its lines in linecache so tracebacks show them."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


def write_report(job_dir: Path, report: ChildReport) -> None:
    """Write the report atomically: the parent sees all of it or none."""
    partial = job_dir / (REPORT_NAME + ".partial")
    partial.write_text(json.dumps(report.to_json()))
    partial.rename(job_dir / REPORT_NAME)
