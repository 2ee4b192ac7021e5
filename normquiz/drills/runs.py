"""Running a drill file (a learner's submission or a bank's mistake file) in a sandbox
child, and reading back what it wrote, every byte validated.

The child is forked from the zygote (a process that never held a reference output) and
gets anonymous inputs: cases renamed ``case 0``, ``case 1``, ..., no seed, no request.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.learner_child import LearnerReport, LearnerRun, output_file
from normquiz.drills.protocols import PROTOCOLS
from normquiz.exceptions import MalformedReport
from normquiz.sandbox.child import ChildReport
from normquiz.sandbox.jobs import SandboxJob
from normquiz.sandbox.supervisor import ChildRun

Outputs = list[np.ndarray]
MIN_OUTPUT_BYTES = 1 << 20
OUTPUT_SIZE_FACTOR = 64  # an output may be this many times its expected size (shape errors)
EXTRA_OUTPUTS = 8


@dataclass(frozen=True)
class FileRun:
    """How a file's run ended, its report, and the outputs it saved per case."""

    run: ChildRun
    child: ChildReport | None = None
    report: LearnerReport | None = None
    outputs: tuple[Outputs | None, ...] = ()
    unreadable: dict[int, str] = field(default_factory=dict)  # case -> why its output was not
    malformed: str | None = None  # the report itself could not be read


@dataclass(frozen=True)
class FileToRun:
    """What to run: the file, its function and call protocol, cases, bans and limits."""

    path: Path
    function: str
    protocol: str
    banned: tuple[str, ...]
    timeout: float
    memory_mb: int
    source: str | None = None  # what runs, when already read (None: the child reads path)


def run_file(spec: FileToRun, cases: Sequence[Case], expected: Sequence[Sequence[int]]) -> FileRun:
    """Run ``spec.path`` on ``cases``; ``expected`` gives each case's output sizes in bytes."""
    anonymous = [replace(case, name=f"case {i}", far=False) for i, case in enumerate(cases)]
    with SandboxJob("check") as job:
        learner = LearnerRun(
            spec.path,
            spec.function,
            PROTOCOLS[spec.protocol],
            anonymous,
            spec.banned,
            job.directory,
            spec.source,
        )
        run = job.run(learner.body, spec.timeout, spec.memory_mb)
        try:
            child = job.report()
            report = _learner_report(child)
            outputs, unreadable = _load_outputs(job, report, expected)
        except (MalformedReport, ValueError, TypeError, KeyError) as error:
            return FileRun(run, malformed=str(error))
    return FileRun(run, child, report, outputs, unreadable)


def _learner_report(child: ChildReport | None) -> LearnerReport | None:
    """The child's own report, when its body ran to the end."""
    if child is None or child.body is None:
        return None
    return LearnerReport.from_json(child.body)


def _load_outputs(
    job: SandboxJob, report: LearnerReport | None, expected: Sequence[Sequence[int]]
) -> tuple[tuple[Outputs | None, ...], dict[int, str]]:
    outputs: list[Outputs | None] = [None] * len(expected)
    unreadable: dict[int, str] = {}
    seen: set[int] = set()
    for entry in report.cases if report else ():
        if not 0 <= entry.index < len(expected) or entry.index in seen:
            raise MalformedReport(f"the report names case {entry.index} wrongly")
        seen.add(entry.index)
        if entry.outputs is None:
            continue
        try:
            outputs[entry.index] = _case_outputs(job, entry.index, entry.outputs, expected)
        except MalformedReport as error:
            unreadable[entry.index] = str(error)
    return tuple(outputs), unreadable


def _case_outputs(
    job: SandboxJob, index: int, count: int, expected: Sequence[Sequence[int]]
) -> Outputs:
    sizes = expected[index]
    if not 0 <= count <= len(sizes) + EXTRA_OUTPUTS:
        raise MalformedReport(f"returned {count} outputs, expected {len(sizes)}")
    limit = max(MIN_OUTPUT_BYTES, OUTPUT_SIZE_FACTOR * max(sizes, default=0))
    arrays: Outputs = []
    for k in range(count):
        name = output_file(job.directory, index, k).name
        try:
            data = job.read(name, limit)
        except FileNotFoundError:
            raise MalformedReport(f"output {k} is missing") from None
        except MalformedReport as error:
            raise MalformedReport(f"output {k}: {error}") from None
        arrays.append(load_array(data, k))
    return arrays


def load_array(data: bytes, k: int) -> np.ndarray:
    """The array in ``data``, once its header is shown to describe exactly the bytes there
    (a crafted header cannot make the worker allocate more than the file holds)."""
    try:
        _check_header(data)
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as error:  # noqa: BLE001 - the bytes are the child's: anything may fail
        raise MalformedReport(f"output {k} is not a saved array: {error}") from None
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise MalformedReport(f"output {k} is not a float array")
    return array


def _check_header(data: bytes) -> None:
    stream = io.BytesIO(data)
    version = np.lib.format.read_magic(stream)
    read_header = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    shape, _, dtype = read_header(stream)
    size = int(np.prod(shape, dtype=np.float64)) * np.dtype(dtype).itemsize
    if size != len(data) - stream.tell():
        raise ValueError(f"its header describes {size} bytes, the file holds {len(data)}")
