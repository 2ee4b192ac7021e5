"""Preparing a session: load the bank, choose questions, connect the progress store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from normquiz.bank.loader import Bank, load_bank
from normquiz.bank.query import select
from normquiz.bank.schema import Question
from normquiz.exceptions import NothingToAsk, UsageError
from normquiz.progress.scheduler import recall_probability
from normquiz.progress.store import ProgressStore
from normquiz.quiz.outcome import Outcome, Saved
from normquiz.quiz.picking import History, pick_missed, pick_quiz, pick_review, presented
from normquiz.quiz.session import Saver, Session, SessionResult, Unsaver
from normquiz.quiz.showing import titles as item_titles


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
    ids: Sequence[str] = ()  # exactly these questions, in this order
    missed: bool = False  # the questions whose last answer was wrong


def prepare(request: SessionRequest, store: ProgressStore, bank: Bank | None = None) -> Session:
    """A session over the requested questions that records every answer in ``store``."""
    bank = bank or load_bank(request.banks)
    chosen = choose(request, store, bank)
    return Session(
        presented(chosen, request.seed),
        save=saver(store, request.mode),
        unsave=unsaver(store),
        auto_easy=request.auto_easy,
        titles=item_titles(bank),
    )


def choose(request: SessionRequest, store: ProgressStore, bank: Bank) -> list[Question]:
    """The questions a request asks for, in the order they are asked."""
    if request.ids:
        return by_ids(bank, request.ids)
    pool = select(bank.questions, request.topics, request.tags, request.types)
    now = store.clock()
    history = History(
        store.cards(),
        store.last_answers(),
        now,
        lambda card: recall_probability(store.scheduler, card, now),
    )
    if request.missed:
        chosen = pick_missed(pool, history)[: request.count]
        if not chosen:
            raise NothingToAsk("nothing missed: no question whose last answer was wrong")
        return chosen
    if request.mode == "review":
        chosen = pick_review(pool, history.cards, history.now, request.count, request.seed)
    else:
        chosen = pick_quiz(pool, history, request.count, request.seed)
    if not chosen:
        raise NothingToAsk(_nothing_to_ask(request, bool(pool)))
    return chosen


def _nothing_to_ask(request: SessionRequest, matched: bool) -> str:
    if not matched:
        return "no questions match"
    if request.mode == "review":
        return "nothing to review"
    return (
        "every matching question was answered in the last hour; ask one again with "
        "--id ID, or the wrong ones with --missed"
    )


def by_ids(bank: Bank, ids: Sequence[str]) -> list[Question]:
    """The questions with these ids, in order; a drill id or an unknown id is an error."""
    drills = [i for i in ids if i in bank.drills]
    if drills:
        raise UsageError(
            f"{drills[0]} is a drill, not a question: `normquiz drill {drills[0]}` opens it"
        )
    unknown = [i for i in ids if i not in bank.by_id]
    if unknown:
        raise UsageError(
            f"no question with id {unknown[0]!r} in the loaded banks (`normquiz list` shows them)"
        )
    return [bank.by_id[i] for i in dict.fromkeys(ids)]


def retry(
    result: SessionResult,
    request: SessionRequest,
    store: ProgressStore,
    titles: Mapping[str, str] | None = None,
) -> Session:
    """A session over the questions just missed, choices shuffled afresh. The answers were
    just shown, so a fast right answer is Good, never Easy."""
    missed = [o.question for o in result.outcomes if not o.correct]
    seed = None if request.seed is None else request.seed + 1
    return Session(
        presented(missed, seed),
        save=saver(store, request.mode),
        unsave=unsaver(store),
        auto_easy=False,
        titles=titles,
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
