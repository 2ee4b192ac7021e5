"""FSRS scheduling through the ``fsrs`` package; nothing here re-implements it."""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

AGAIN, HARD, GOOD, EASY = (int(r) for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy))
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}


def make_scheduler() -> Scheduler:
    """Default FSRS parameters; no fuzz, so intervals are reproducible and testable."""
    return Scheduler(enable_fuzzing=False)


def new_card(card_id: int, now: datetime) -> Card:
    return Card(card_id=card_id, due=now)


def review(
    scheduler: Scheduler, card: Card, rating: int, when: datetime, duration_ms: int | None = None
) -> Card:
    updated, _log = scheduler.review_card(
        card, Rating(rating), review_datetime=when, review_duration=duration_ms
    )
    return updated


def recall_probability(scheduler: Scheduler, card: Card, when: datetime) -> float:
    """FSRS retrievability at ``when``; 0 for a card never reviewed."""
    return float(scheduler.get_card_retrievability(card, current_datetime=when))


def iso(when: datetime) -> str:
    """How times are stored: ISO 8601 in UTC."""
    return when.astimezone(UTC).isoformat()
