"""Saving drill attempts and passes in the progress store."""

from __future__ import annotations

from collections.abc import Sequence

from normquiz.drills.results import CheckResult
from normquiz.exceptions import UserDataError
from normquiz.progress.scheduler import AGAIN, GOOD
from normquiz.progress.store import ProgressStore


def record_results(results: Sequence[CheckResult]) -> str | None:
    """Save each check result; returns a warning instead of failing when the store is unusable."""
    try:
        with ProgressStore.open() as store:
            for result in results:
                store.record(
                    result.drill,
                    GOOD if result.passed else AGAIN,
                    result.passed,
                    {"status": result.status, "diagnosis": result.diagnosis_ids},
                    kind="drill",
                    duration_ms=round(result.time_s * 1000),
                    mode="check",
                )
    except UserDataError as error:
        return f"the result was not saved: {error}"
    return None
