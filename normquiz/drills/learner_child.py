"""The program a drill check runs in the sandbox child: import the learner's file, call its
function on every case through the drill's call protocol, save the outputs as ``.npy``.

Both ends of the child's report live here: ``LearnerRun.body`` returns a ``LearnerReport``
in the child (the sandbox writes it as the body of its ``ChildReport``), the grader reads it
back with ``LearnerReport.from_json``. The child never decides a verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.limits import MAX_SUBMISSION_BYTES
from normquiz.drills.protocols import CallProtocol, Function
from normquiz.exceptions import BannedCall, OutputError
from normquiz.sandbox.child import MAX_MESSAGE, describe, is_memory_error, run_as_module
from normquiz.sandbox.files import read_regular
from normquiz.sandbox.guards import BanRecorder, install
from normquiz.sandbox.imports import refuse_imports
from normquiz.sandbox.protocol import exact_fields, expect_types

LEARNER_MODULE = "learner_solution"


@dataclass(frozen=True)
class CaseReport:
    """What happened on one case: outputs written, or why not."""

    index: int
    outputs: int | None = None  # how many arrays were saved
    error: str | None = None
    output_error: str | None = None  # the result was not what the drill asks for
    banned: bool = False
    stop: bool = False  # no further case runs (sys.exit, KeyboardInterrupt, out of memory)
    memory: bool = False


@dataclass(frozen=True)
class LearnerReport:
    cases: tuple[CaseReport, ...] = ()
    banned: tuple[str, ...] = ()
    import_error: str | None = None
    memory: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LearnerReport:
        """The child's report, every field of the right type (the child is not trusted)."""
        fields = exact_fields(data, cls)
        expect_types(
            fields,
            {"cases": (list,), "banned": (list,), "import_error": (str, None), "memory": (bool,)},
        )
        cases = tuple(_case_report(entry) for entry in fields["cases"])
        banned = tuple(str(name)[:200] for name in fields["banned"][:50])
        return cls(**{**fields, "cases": cases, "banned": banned})


def _case_report(entry: object) -> CaseReport:
    fields = exact_fields(entry, CaseReport)  # type: ignore[arg-type]
    text, flag = (str, None), (bool,)
    expect_types(
        fields,
        {
            "index": (int,),
            "outputs": (int, None),
            "error": text,
            "output_error": text,
            "banned": flag,
            "stop": flag,
            "memory": flag,
        },
    )
    return CaseReport(**fields)


@dataclass(frozen=True)
class LearnerRun:
    """What the child needs: the learner's file and how to call it on which cases."""

    learner: Path
    function: str
    protocol: CallProtocol
    cases: Sequence[Case]
    banned: Sequence[str]
    job_dir: Path
    source: str | None = None  # the file's text as it was checked (None: read the file)

    def body(self) -> dict[str, Any]:
        """Runs in the child after the sandbox prelude; returns the report."""
        recorder = install(self.banned, reason="is banned in this drill")
        refuse_imports("normquiz", "drill code cannot import normquiz itself")
        report = self._run(recorder)
        recorder.check_switches()
        return replace(report, banned=tuple(sorted(set(recorder.hits)))).to_json()

    def _run(self, recorder: BanRecorder) -> LearnerReport:
        try:
            module = _import(self.learner, self.source)
        except BaseException as error:  # noqa: BLE001 - anything the learner's import does
            return LearnerReport(
                import_error=describe(error, str(self.learner)), memory=is_memory_error(error)
            )
        target = getattr(module, self.function, None)
        if not callable(target):
            return LearnerReport(import_error=f"your file defines no function `{self.function}`")
        entries: list[CaseReport] = []
        for index, case in enumerate(self.cases):
            entries.append(self._run_case(index, case, target))
            recorder.check_switches()  # a switch turned back on by a route no stub sees
            if entries[-1].stop:
                break
        return LearnerReport(cases=tuple(entries))

    def _run_case(self, index: int, case: Case, target: Function) -> CaseReport:
        try:
            outputs = self.protocol(target, case)
        except OutputError as error:
            return CaseReport(index, output_error=str(error)[:MAX_MESSAGE])
        except BannedCall as error:
            return CaseReport(index, error=str(error), banned=True)
        except (SystemExit, KeyboardInterrupt, GeneratorExit) as error:
            return CaseReport(index, error=describe(error, str(self.learner)), stop=True)
        except BaseException as error:  # noqa: BLE001
            memory = is_memory_error(error)  # the rest would only run out again: stop now
            return CaseReport(
                index, error=describe(error, str(self.learner)), memory=memory, stop=memory
            )
        for k, array in enumerate(outputs):
            np.save(output_file(self.job_dir, index, k), array, allow_pickle=False)
        return CaseReport(index, outputs=len(outputs))


def output_file(job_dir: Path, case_index: int, output_index: int) -> Path:
    return job_dir / f"case{case_index}_{output_index}.npy"


def _import(learner: Path, source: str | None) -> ModuleType:
    """The learner's module, run from the text that was checked (read now when none was);
    tracebacks show its lines."""
    if source is None:
        source = read_regular(learner, MAX_SUBMISSION_BYTES).decode("utf-8", "replace")
    return run_as_module(LEARNER_MODULE, str(learner), source)
