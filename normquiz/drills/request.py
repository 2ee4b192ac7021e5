"""The check request normquiz sends to the grading worker: everything the worker needs to
grade one file, with no bank or manifest to load on its side."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from normquiz.drills.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from normquiz.sandbox.protocol import exact_fields

CHECK_OPERATION = "check"
DECLARED = "declared"  # the reference or cases label of a drill declared in its bank
REFERENCE_FAILED = "the drill's reference (bank code, not your file)"  # starts such a verdict


@dataclass(frozen=True)
class MistakeRef:
    """A known mistake: its id, what it means, and the bundled file that makes it."""

    id: str
    explanation: str
    path: str


@dataclass(frozen=True)
class CheckRequest:
    path: str  # the learner's file, absolute
    function: str
    protocol: str
    reference: str
    cases: str
    # (atol, rtol) by manifest key: "float32", "float64", optionally "far_float32"/"far_float64"
    tolerances: dict[str, tuple[float, float]]
    mistakes: tuple[MistakeRef, ...] = ()
    banned: tuple[str, ...] = ()
    seed: int = 0
    timeout: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    source: str | None = None  # the text checked statically, run as is (None: read path)
    reference_file: str | None = None  # the bank's reference file, absolute (then reference
    # is a label only)
    case_specs: str | None = None  # declared cases as JSON (then cases is a label only)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["tolerances"] = {k: list(v) for k, v in self.tolerances.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckRequest:
        fields = exact_fields(data, cls)
        return cls(
            **{
                **fields,
                "tolerances": {
                    k: (float(v[0]), float(v[1])) for k, v in fields["tolerances"].items()
                },
                "mistakes": tuple(
                    MistakeRef(**exact_fields(m, MistakeRef)) for m in fields["mistakes"]
                ),
                "banned": tuple(fields["banned"]),
            }
        )
