"""Running a bank's reference file: bank code, so it runs in a sandbox child of its own
(never in normquiz, never in the child that runs the learner's file) under time, memory and
output limits, and only plain arrays come back.

A reference that raises, runs out of memory or does not finish is reported with the
file:line where it was: an exception's traceback, or the traceback faulthandler dumps
(``STALLED_NAME``) a little before the hard deadline.
"""

from __future__ import annotations

import faulthandler
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.learner_child import output_file
from normquiz.drills.protocols import PROTOCOLS
from normquiz.drills.request import REFERENCE_FAILED
from normquiz.drills.runs import load_array
from normquiz.exceptions import MalformedReport, ReferenceFailed
from normquiz.sandbox.child import MAX_MESSAGE, is_memory_error, run_as_module
from normquiz.sandbox.imports import refuse_imports
from normquiz.sandbox.jobs import SandboxJob
from normquiz.sandbox.protocol import exact_fields

STALLED_NAME = "stalled.txt"
REFERENCE_MODULE = "bank_reference"
GRACE_S = 2.0  # the hard deadline lies this far after the traceback dump
MAX_OUTPUT_BYTES = 64 << 20  # one reference output
MAX_OUTPUTS = 32  # per case
_stalled: list[IO[str]] = []  # keeps faulthandler's file open in the child


@dataclass(frozen=True)
class ReferenceReport:
    outputs: tuple[int, ...] = ()  # arrays saved, per case
    error: str | None = None  # with file:line

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferenceReport:
        fields = exact_fields(data, cls)
        counts = tuple(int(n) for n in fields["outputs"])
        error = fields["error"]
        return cls(counts, None if error is None else str(error)[:MAX_MESSAGE])


@dataclass(frozen=True)
class ReferenceRun:
    """What the reference child needs: the file's text, its function and the cases."""

    path: str
    source: str
    function: str
    protocol: str
    cases: Sequence[Case]
    job_dir: str
    soft_timeout: float

    def body(self) -> dict[str, Any]:  # pragma: no cover - runs in the child
        stalled = open(Path(self.job_dir) / STALLED_NAME, "w")  # noqa: SIM115 - kept open
        _stalled.append(stalled)
        faulthandler.dump_traceback_later(self.soft_timeout, exit=True, file=stalled)
        refuse_imports("normquiz", "a drill's reference cannot import normquiz itself")
        try:
            counts = self._compute()
        except BaseException as error:  # noqa: BLE001 - bank code: anything may fail
            return {"outputs": [], "error": self._describe(error)}
        return {"outputs": counts, "error": None}

    def _compute(self) -> list[int]:  # pragma: no cover - runs in the child
        function = getattr(
            run_as_module(REFERENCE_MODULE, self.path, self.source), self.function, None
        )
        if not callable(function):
            raise LookupError(f"{self.path} defines no function `{self.function}`")
        counts = []
        for index, case in enumerate(self.cases):
            outputs = PROTOCOLS[self.protocol](function, case)
            for k, array in enumerate(outputs):
                np.save(output_file(Path(self.job_dir), index, k), array, allow_pickle=False)
            counts.append(len(outputs))
        return counts

    def _describe(self, error: BaseException) -> str:  # pragma: no cover - runs in the child
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == self.path]
        kind = "ran out of memory" if is_memory_error(error) else "raised"
        head = f"{type(error).__name__}: {error}"
        if not frames:
            return f"{kind} {head}"
        last = frames[-1]
        return f"{kind} at {self.path}:{last.lineno} in {last.name}: {head}"


Reference = list[tuple[str, np.ndarray]]
Limits = tuple[float, int]  # seconds, megabytes


def run_reference(
    path: str, source: str, function: str, protocol: str, cases: Sequence[Case], limits: Limits
) -> list[Reference]:
    """Each case's expected outputs, named ``out`` (or ``out[k]`` for several)."""
    timeout, memory_mb = limits
    with SandboxJob("reference") as job:
        run = ReferenceRun(path, source, function, protocol, cases, str(job.directory), timeout)
        ran = job.run(run.body, timeout + GRACE_S, memory_mb)
        child = job.report()
        if child is None or child.body is None:
            raise ReferenceFailed(_death(job, run, ran.timed_out, timeout, child))
        report = ReferenceReport.from_json(child.body)
        if report.error is not None:
            raise ReferenceFailed(f"{REFERENCE_FAILED} {report.error}")
        if len(report.outputs) != len(cases):
            raise ReferenceFailed(f"{REFERENCE_FAILED} did not compute every case")
        return [_outputs(job, index, count) for index, count in enumerate(report.outputs)]


def _outputs(job: SandboxJob, index: int, count: int) -> Reference:
    if not 0 < count <= MAX_OUTPUTS:
        raise ReferenceFailed(f"{REFERENCE_FAILED} returned {count} outputs (1 to {MAX_OUTPUTS})")
    names = ["out"] if count == 1 else [f"out[{k}]" for k in range(count)]
    try:
        return [
            (
                name,
                load_array(
                    job.read(output_file(job.directory, index, k).name, MAX_OUTPUT_BYTES), k
                ),
            )
            for k, name in enumerate(names)
        ]
    except (MalformedReport, FileNotFoundError) as error:
        raise ReferenceFailed(f"{REFERENCE_FAILED}: an output could not be read: {error}") from None


def _load(job: SandboxJob, index: int, k: int) -> np.ndarray:
    return load_array(job.read(output_file(job.directory, index, k).name, MAX_OUTPUT_BYTES), k)


def _death(job: SandboxJob, run: ReferenceRun, timed_out: bool, timeout: float, child: Any) -> str:
    where = _stalled_at(job, run.path, run.source)
    if where is not None or timed_out:
        return f"{REFERENCE_FAILED} did not finish within {timeout:g} s" + (
            f": stopped at {where}" if where else ""
        )
    if child is not None and child.harness_error:
        return f"{REFERENCE_FAILED} could not run: {child.harness_error}"
    return f"{REFERENCE_FAILED} ended its process before reporting"


def _stalled_at(job: SandboxJob, path: str, source: str) -> str | None:
    """file:line of the innermost frame of ``path`` in faulthandler's dump, if it dumped."""
    try:
        text = job.read(STALLED_NAME, 1 << 20).decode("utf-8", "replace")
    except (FileNotFoundError, MalformedReport):
        return None
    pattern = re.compile(r'File "(.*)", line (\d+) in (\S+)')
    # faulthandler lists the innermost frame first
    found = [m for m in pattern.finditer(text) if m.group(1) == path]
    if not found:
        return None
    first = found[0]
    lines = source.splitlines()
    number = int(first.group(2))
    code = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return f"{path}:{first.group(2)} in {first.group(3)}" + (f": {code}" if code else "")
