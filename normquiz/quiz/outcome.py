"""One answered question, as the session records it and the front ends show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from normquiz.bank.schema import Question


@dataclass(frozen=True)
class Outcome:
    question: Question
    response: object  # JSON-ready: a letter, a list of letters, a bool, a number or text+points
    correct: bool
    rating: int
    seconds: float
    review_id: int | None = None  # set once saved; undo deletes this review
    next_in: timedelta | None = None  # when the item is due again, from the answer


@dataclass(frozen=True)
class Saved:
    """What saving an outcome gave: its review, and when the item comes back."""

    review_id: int
    next_in: timedelta
