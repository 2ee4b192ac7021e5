"""Which questions a session asks: a shuffled sample (quiz) or FSRS order (review)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from fsrs import Card

from normquiz.bank.schema import ChoiceQuestion, Question


def pick_quiz(questions: Sequence[Question], count: int | None, seed: int | None) -> list[Question]:
    """A random sample (all when count is None), reproducible with a seed."""
    chosen = list(questions)
    random.Random(seed).shuffle(chosen)
    return chosen if count is None else chosen[:count]


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
