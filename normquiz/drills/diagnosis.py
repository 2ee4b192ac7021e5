"""Naming a known mistake: a failing submission is compared with each mistake's outputs.

Runs in the grading worker. A mistake is named only when the submission reproduces its
outputs on every case; otherwise no diagnosis is given rather than a guess.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.compare import compare, tolerance_for
from normquiz.drills.protocols import PROTOCOLS
from normquiz.drills.registry import CASE_GENERATORS, resolve
from normquiz.drills.request import CheckRequest, MistakeRef
from normquiz.drills.results import Diagnosis

Outputs = list[np.ndarray]


@lru_cache(maxsize=128)
def mistake_outputs(
    path: str, function: str, protocol: str, cases_name: str, seed: int
) -> tuple[Outputs | None, ...]:
    """A known mistake's outputs per case (None where it raised); trusted bundled code."""
    spec = importlib.util.spec_from_file_location(f"mistake_{abs(hash(path))}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the mistake file {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = resolve(CASE_GENERATORS, cases_name)(seed)
    results: list[Outputs | None] = []
    for case in cases:
        try:
            results.append(PROTOCOLS[protocol](getattr(module, function), case))
        except Exception:  # noqa: BLE001 - a mistake may crash on some inputs
            results.append(None)
    return tuple(results)


def diagnose(
    request: CheckRequest, cases: Sequence[Case], outputs: Sequence[Outputs | None]
) -> tuple[Diagnosis, ...]:
    """The first known mistake whose outputs the submission reproduces on every case."""
    if any(o is None for o in outputs):
        return ()
    for mistake in request.mistakes:
        if _matches(request, mistake, cases, outputs):
            return (Diagnosis(mistake.id, mistake.explanation),)
    return ()


def _matches(
    request: CheckRequest,
    mistake: MistakeRef,
    cases: Sequence[Case],
    outputs: Sequence[Outputs | None],
) -> bool:
    theirs = mistake_outputs(
        mistake.path, request.function, request.protocol, request.cases, request.seed
    )
    return all(
        _same(request, case, mine, other)
        for case, mine, other in zip(cases, outputs, theirs, strict=True)
    )


def _same(request: CheckRequest, case: Case, mine: Outputs | None, theirs: Outputs | None) -> bool:
    if mine is None or theirs is None or len(mine) != len(theirs):
        return False
    atol, rtol = tolerance_for(request, case)
    return all(
        compare(a, b, atol, rtol, equal_nan=True).ok for a, b in zip(mine, theirs, strict=True)
    )
