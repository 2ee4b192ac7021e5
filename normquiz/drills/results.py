"""What a check decides, as typed values: the verdict the grader sends back, and the
result `check --json` prints (format documented in the README, "JSON output").

Each type has one ``to_json`` and one ``from_json``; ``from_json`` refuses missing and
unknown keys, so a misspelled key fails loudly instead of reading as absent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal

from normquiz.sandbox.protocol import exact_fields
from normquiz.sandbox.supervisor import CapturedOutput

Status = Literal["pass", "fail", "error", "timeout", "memory"]
JsonObject = dict[str, Any]


def _optional_tuple(values: Any) -> tuple[int, ...] | None:
    return None if values is None else tuple(int(v) for v in values)


def distinct_digits(expected: float, got: float) -> tuple[str, str]:
    """Both numbers with the fewest significant digits (6 to 17) at which they read apart."""
    texts = (f"{expected:.17g}", f"{got:.17g}")
    for digits in range(6, 18):
        shown = (f"{expected:.{digits}g}", f"{got:.{digits}g}")
        if shown[0] != shown[1]:
            return shown
    return texts


def difference_text(expected: float, got: float) -> str:
    """'expected A, got B (off by D, relative R)', with digits enough to tell A from B."""
    shown_expected, shown_got = distinct_digits(expected, got)
    if not math.isfinite(got):
        detail = "not finite"
    else:
        error = abs(got - expected)
        detail = f"off by {error:.3g}"
        if expected != 0 and math.isfinite(expected):
            detail += f", relative {error / abs(expected):.2g}"
    return f"expected {shown_expected}, got {shown_got} ({detail})"


@dataclass(frozen=True)
class CaseRow:
    """One generated case: its status and the largest errors against PyTorch."""

    name: str
    status: Status = "pass"
    message: str = ""
    max_abs_err: float | None = None
    max_rel_err: float | None = None

    def to_json(self) -> JsonObject:
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "max_abs_err": self.max_abs_err,
            "max_rel_err": self.max_rel_err,
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> CaseRow:
        return cls(**exact_fields(data, cls))


@dataclass(frozen=True)
class Tolerance:
    atol: float
    rtol: float


@dataclass(frozen=True)
class FirstFailure:
    """The first case that did not match: where, and by how much when values differ."""

    case: str
    message: str
    dtype: str | None = None
    shapes: tuple[tuple[int, ...], ...] | None = None
    output: str | None = None  # which output differed (e.g. "dx")
    index: tuple[int, ...] | None = None  # the worst element
    expected: float | str | None = None  # a name for an answer given as a name
    got: float | str | None = None
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    tolerance: Tolerance | None = None
    inputs: tuple[str, ...] | None = None  # what the function got, one text per argument

    def to_json(self) -> JsonObject:
        return {
            "case": self.case,
            "message": self.message,
            "dtype": self.dtype,
            "shapes": None if self.shapes is None else [list(s) for s in self.shapes],
            "output": self.output,
            "index": None if self.index is None else list(self.index),
            "expected": self.expected,
            "got": self.got,
            "max_abs_err": self.max_abs_err,
            "max_rel_err": self.max_rel_err,
            "tolerance": None
            if self.tolerance is None
            else {"atol": self.tolerance.atol, "rtol": self.tolerance.rtol},
            "inputs": None if self.inputs is None else list(self.inputs),
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> FirstFailure:
        fields = exact_fields(data, cls)
        shapes, tolerance, inputs = fields["shapes"], fields["tolerance"], fields["inputs"]
        return cls(
            **{
                **fields,
                "shapes": None if shapes is None else tuple(tuple(s) for s in shapes),
                "inputs": None if inputs is None else tuple(str(i) for i in inputs),
                "index": _optional_tuple(fields["index"]),
                "tolerance": None
                if tolerance is None
                else Tolerance(**exact_fields(tolerance, Tolerance)),
            }
        )


@dataclass(frozen=True)
class Diagnosis:
    """A known mistake the submission makes, by id, with its explanation."""

    id: str
    message: str

    def to_json(self) -> JsonObject:
        return {"id": self.id, "message": self.message}

    @classmethod
    def from_json(cls, data: JsonObject) -> Diagnosis:
        return cls(**exact_fields(data, cls))


BANNED_API = "banned-api"
# Entries that qualify the named mistakes instead of naming one (normquiz.drills.diagnosis)
UNEXPLAINED = "unexplained"
UNCHECKED = "unchecked"
NOTE_IDS = (UNEXPLAINED, UNCHECKED)


def banned_diagnosis(names: str) -> Diagnosis:
    return Diagnosis(
        BANNED_API, f"you used {names}; this drill asks you to write the computation yourself"
    )


@dataclass(frozen=True)
class Verdict:
    """What grading decided: the grader's reply, or the static checks' early answer."""

    status: Status
    message: str
    cases: tuple[CaseRow, ...] = ()
    diagnosis: tuple[Diagnosis, ...] = ()
    first_failure: FirstFailure | None = None
    output: CapturedOutput | None = None
    run_s: float | None = None  # time the learner's process ran

    def to_json(self) -> JsonObject:
        return {
            "status": self.status,
            "message": self.message,
            "cases": [row.to_json() for row in self.cases],
            "diagnosis": [item.to_json() for item in self.diagnosis],
            "first_failure": None if self.first_failure is None else self.first_failure.to_json(),
            "output": None if self.output is None else self.output.to_json(),
            "run_s": self.run_s,
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> Verdict:
        fields = exact_fields(data, cls)
        failure, output = fields["first_failure"], fields["output"]
        return cls(
            **{
                **fields,
                "cases": tuple(CaseRow.from_json(row) for row in fields["cases"]),
                "diagnosis": tuple(Diagnosis.from_json(item) for item in fields["diagnosis"]),
                "first_failure": None if failure is None else FirstFailure.from_json(failure),
                "output": None if output is None else CapturedOutput.from_json(output),
            }
        )

    def with_output(self, output: CapturedOutput, run_s: float) -> Verdict:
        return replace(self, output=output, run_s=round(run_s, 4))


@dataclass(frozen=True)
class CheckResult:
    """One file graded against one drill."""

    drill: str
    path: str
    verdict: Verdict
    time_s: float = 0.0

    @property
    def status(self) -> Status:
        return self.verdict.status

    @property
    def passed(self) -> bool:
        return self.verdict.status == "pass"

    @property
    def diagnosis_ids(self) -> list[str]:
        return [item.id for item in self.verdict.diagnosis]

    def to_json(self) -> JsonObject:
        return {
            "drill": self.drill,
            "path": self.path,
            **self.verdict.to_json(),
            "time_s": self.time_s,
        }

    @classmethod
    def from_json(cls, data: JsonObject) -> CheckResult:
        """The inverse of ``to_json``: the verdict's keys sit beside drill, path and time_s."""
        own = ("drill", "path", "time_s")
        rest = {k: v for k, v in data.items() if k not in own}
        missing = [k for k in own if k not in data]
        if missing:
            raise ValueError(f"CheckResult: missing {missing}")
        return cls(data["drill"], data["path"], Verdict.from_json(rest), data["time_s"])
