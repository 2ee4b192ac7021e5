"""Saving drill attempts and passes in the progress store."""

from __future__ import annotations

from normquiz.exceptions import UserDataError
from normquiz.progress.scheduler import AGAIN, GOOD
from normquiz.progress.store import ProgressStore


def record_results(results: list[dict]) -> str | None:
    """Save each check result; returns a warning instead of failing when the store is unusable."""
    try:
        with ProgressStore.open() as store:
            for result in results:
                passed = result["status"] == "pass"
                store.record(result["drill"], GOOD if passed else AGAIN, passed,
                             {"status": result["status"],
                              "diagnosis": [d["id"] for d in result["diagnosis"]]},
                             kind="drill", duration_ms=round(result["time_s"] * 1000), mode="check")
    except UserDataError as error:
        return f"the result was not saved: {error}"
    return None
