"""A drill's cases and expected outputs for a seed, computed once per worker and cached.

Built-in references and case generators are normquiz code and run here, in the grading
worker. A reference file from a bank is bank code: it runs in a sandbox child of its own
(``reference_child``); declared cases are generated here from their specs (plain data).
The cache key holds the reference file's text, so an edited file is run again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.cases.declared import declared_cases
from normquiz.drills.limits import MAX_SUBMISSION_BYTES
from normquiz.drills.reference_child import run_reference
from normquiz.drills.registry import CASE_GENERATORS, REFERENCES, resolve
from normquiz.drills.request import REFERENCE_FAILED, CheckRequest
from normquiz.exceptions import FileRefused, ReferenceFailed
from normquiz.sandbox.files import read_regular

Reference = list[tuple[str, np.ndarray]]


@dataclass(frozen=True)
class DrillSource:
    """Everything that decides a drill's cases and expected outputs (the cache key)."""

    reference: str
    cases: str
    seed: int
    # how a reference file is run (left at their defaults for a built-in reference)
    function: str = ""
    protocol: str = "function"
    timeout: float = 0.0
    memory_mb: int = 0
    reference_file: str | None = None
    reference_text: str | None = None
    case_specs: str | None = None


def source_of(request: CheckRequest) -> DrillSource:
    """The request's drill source, the bank's reference file read now (ReferenceFailed when
    it cannot be)."""
    if request.reference_file is None:
        return DrillSource(
            request.reference, request.cases, request.seed, case_specs=request.case_specs
        )
    text = _read(request.reference_file)
    return DrillSource(
        request.reference,
        request.cases,
        request.seed,
        request.function,
        request.protocol,
        request.timeout,
        request.memory_mb,
        request.reference_file,
        text,
        request.case_specs,
    )


def _read(path: str) -> str:
    try:
        return read_regular(Path(path), MAX_SUBMISSION_BYTES).decode("utf-8", "replace")
    except (OSError, FileRefused) as error:
        raise ReferenceFailed(f"{REFERENCE_FAILED} cannot be read: {path}: {error}") from None


@lru_cache(maxsize=32)
def prepared(source: DrillSource) -> tuple[list[Case], list[Reference]]:
    """The cases and their expected outputs, computed once per drill source and seed."""
    cases = _cases(source)
    if source.reference_file is None:
        reference = resolve(REFERENCES, source.reference)
        return cases, [reference(case) for case in cases]
    limits = (source.timeout, source.memory_mb)
    expected = run_reference(
        source.reference_file,
        source.reference_text or "",
        source.function,
        source.protocol,
        [_in_float64(case) for case in cases],
        limits,
    )
    return cases, expected


def _cases(source: DrillSource) -> list[Case]:
    if source.case_specs is not None:
        return declared_cases(source.case_specs, source.seed)
    generated: list[Case] = resolve(CASE_GENERATORS, source.cases)(source.seed)
    return generated


def _in_float64(case: Case) -> Case:
    """The case as a reference computes it: every float array in float64."""
    return replace(
        case,
        args=[_wide(value) for value in case.args],
        kwargs={key: _wide(value) for key, value in case.kwargs.items()},
        steps=[step.astype(np.float64) if step.dtype.kind == "f" else step for step in case.steps],
    )


def _wide(value: object) -> object:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float64)
    return value
