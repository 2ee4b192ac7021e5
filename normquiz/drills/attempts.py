"""Saving drill checks in the progress store: one review per drill per sitting."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from normquiz.bank.loader import Bank
from normquiz.drills.check import reference_failed
from normquiz.drills.results import CheckResult
from normquiz.drills.workspace import starter_path
from normquiz.exceptions import UserDataError
from normquiz.progress.sittings import DrillCheck
from normquiz.progress.store import ProgressStore


def record_results(bank: Bank, results: Sequence[CheckResult]) -> str | None:
    """Save each check result, except a file still equal to its starter (nothing was
    attempted) or one the drill's own reference failed (nothing was graded); returns a
    warning instead of failing when the store is unusable."""
    attempted = [
        result
        for result in results
        if not _untouched(bank, result) and not reference_failed(result)
    ]
    try:
        with ProgressStore.open() as store:
            for result in attempted:
                store.record_drill_check(_as_check(result, store))
    except UserDataError as error:
        return f"the result was not saved: {error}"
    return None


def _untouched(bank: Bank, result: CheckResult) -> bool:
    drill = bank.drills.get(result.drill)
    if drill is None:
        return False
    try:
        return Path(result.path).read_bytes() == starter_path(bank, drill).read_bytes()
    except OSError:
        return False


def _as_check(result: CheckResult, store: ProgressStore) -> DrillCheck:
    return DrillCheck(
        result.drill,
        result.passed,
        {"status": result.status, "diagnosis": result.diagnosis_ids},
        round(result.time_s * 1000),
        store.clock(),
    )


def note_solution_shown(drill_id: str) -> str | None:
    """Remember that the solution was shown (the next pass of the drill is rated Again);
    returns a warning when the store is unusable."""
    try:
        with ProgressStore.open() as store:
            store.note_solution_shown(drill_id)
    except UserDataError as error:
        return f"could not note that the solution was shown: {error}"
    return None
