"""Preparing a session: load the bank, choose questions, connect the progress store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from normquiz.bank.loader import Bank, load_bank
from normquiz.bank.query import select
from normquiz.exceptions import NothingToAsk
from normquiz.progress.store import ProgressStore
from normquiz.quiz.outcome import Outcome, Saved
from normquiz.quiz.picking import pick_quiz, pick_review, presented
from normquiz.quiz.session import Saver, Session, Unsaver


@dataclass(frozen=True)
class SessionRequest:
    mode: str = "quiz"  # or "review"
    topics: Sequence[str] = ()
    tags: Sequence[str] = ()
    types: Sequence[str] = ()
    count: int | None = 10
    seed: int | None = None
    banks: Sequence[Path] = field(default_factory=tuple)
    auto_easy: bool = True  # a fast right answer is rated Easy


def prepare(request: SessionRequest, store: ProgressStore, bank: Bank | None = None) -> Session:
    """A session over the requested questions that records every answer in ``store``."""
    bank = bank or load_bank(request.banks)
    pool = select(bank.questions, request.topics, request.tags, request.types)
    if request.mode == "review":
        chosen = pick_review(pool, store.cards(), store.clock(), request.count, request.seed)
    else:
        chosen = pick_quiz(pool, request.count, request.seed)
    if not chosen:
        raise NothingToAsk("no questions match" if not pool else "nothing to review")
    return Session(
        presented(chosen, request.seed),
        save=saver(store, request.mode),
        unsave=unsaver(store),
        auto_easy=request.auto_easy,
    )


def saver(store: ProgressStore, mode: str) -> Saver:
    """Save each outcome as it happens (one transaction per answer)."""

    def save(outcome: Outcome) -> Saved:
        recorded = store.record(
            outcome.question.id,
            outcome.rating,
            outcome.correct,
            outcome.response,
            duration_ms=round(outcome.seconds * 1000),
            mode=mode,
        )
        card = recorded.card
        reviewed = card.last_review or store.clock()
        return Saved(recorded.review_id, card.due - reviewed)

    return save


def unsaver(store: ProgressStore) -> Unsaver:
    """Undo a saved outcome: delete its review and restore the card (one transaction)."""

    def unsave(outcome: Outcome) -> None:
        if outcome.review_id is not None:
            store.undo(outcome.review_id)

    return unsave
