"""Which questions a session asks: a quiz's priorities, FSRS order (review), what was
missed, or the ids asked for."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card

from normquiz.bank.schema import ChoiceQuestion, Question
from normquiz.progress.store import LastAnswer

RECENT = timedelta(hours=1)  # a quiz does not re-ask what was answered this recently


@dataclass(frozen=True)
class History:
    """What picking needs of the learner's progress."""

    cards: Mapping[str, Card]
    last: Mapping[str, LastAnswer]
    now: datetime
    recall: Callable[[Card], float]  # FSRS retrievability now


def pick_quiz(
    questions: Sequence[Question], history: History, count: int | None, seed: int | None
) -> list[Question]:
    """Due items (most overdue first), then unseen ones (topics mixed), then the weakest;
    nothing answered within ``RECENT``."""
    cards, now = history.cards, history.now
    fresh = [
        q for q in questions if q.id not in history.last or now - history.last[q.id].when >= RECENT
    ]
    due = sorted(
        (q for q in fresh if q.id in cards and cards[q.id].due <= now),
        key=lambda q: (cards[q.id].due, q.id),
    )
    unseen = interleave_topics([q for q in fresh if q.id not in cards], seed)
    weakest = sorted(
        (q for q in fresh if q.id in cards and cards[q.id].due > now),
        key=lambda q: (history.recall(cards[q.id]), q.id),
    )
    chosen = due + unseen + weakest
    return chosen if count is None else chosen[:count]


def pick_missed(questions: Sequence[Question], history: History) -> list[Question]:
    """The questions whose last answer was wrong, most recently missed first."""
    missed = [q for q in questions if q.id in history.last and not history.last[q.id].correct]
    return sorted(missed, key=lambda q: history.last[q.id].when, reverse=True)


def pick_review(
    questions: Sequence[Question],
    cards: Mapping[str, Card],
    now: datetime,
    count: int | None,
    seed: int | None = None,
) -> list[Question]:
    """Due items first (most overdue first), then new ones with topics interleaved."""
    due = sorted(
        (q for q in questions if q.id in cards and cards[q.id].due <= now),
        key=lambda q: (cards[q.id].due, q.id),
    )
    new = interleave_topics([q for q in questions if q.id not in cards], seed)
    chosen = due + new
    return chosen if count is None else chosen[:count]


def interleave_topics(questions: Sequence[Question], seed: int | None) -> list[Question]:
    """Round-robin over topics (each topic shuffled), so a session mixes them."""
    rng = random.Random(seed)
    by_topic: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        by_topic[question.topic].append(question)
    queues = list(by_topic.values())
    for queue in queues:
        rng.shuffle(queue)
    rng.shuffle(queues)
    mixed: list[Question] = []
    while any(queues):
        for queue in queues:
            if queue:
                mixed.append(queue.pop())
    return mixed


def presented(questions: Sequence[Question], seed: int | None) -> list[Question]:
    """The questions as shown: each choice question's choices shuffled, reproducibly for a
    session seed and a question id (no seed: a fresh order each session), so that a
    position or a letter never stands for an answer."""
    session = random.randrange(2**32) if seed is None else seed
    return [_shuffled(question, session) for question in questions]


def _shuffled(question: Question, session: int) -> Question:
    if not isinstance(question, ChoiceQuestion):
        return question
    choices = list(question.choices)
    random.Random(f"{session}:{question.id}").shuffle(choices)
    return question.model_copy(update={"choices": choices})
