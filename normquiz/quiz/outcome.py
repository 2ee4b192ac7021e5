"""One answered question, as the session records it and the front ends show it."""

from __future__ import annotations

from dataclasses import dataclass

from normquiz.bank.schema import Question


@dataclass(frozen=True)
class Outcome:
    question: Question
    response: object  # JSON-ready: a letter, a list of letters, a bool, a number or text+points
    correct: bool
    rating: int
    seconds: float
