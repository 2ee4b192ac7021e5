"""Grading responses and suggesting ratings; pure functions, no I/O."""

from __future__ import annotations

import re
import string

from normquiz.bank.schema import (MultiChoice, Numeric, Question, ShortAnswer, SingleChoice,
                                  TrueFalse)
from normquiz.progress.scheduler import AGAIN, GOOD, HARD

LETTERS = string.ascii_lowercase


def is_correct(question: Question, response: object) -> bool:
    """Whether an objective response is right (short answers are self-rated)."""
    if isinstance(question, SingleChoice):
        return question.choices[response].correct  # type: ignore[index]
    if isinstance(question, MultiChoice):
        chosen = set(response)  # type: ignore[call-overload]
        return chosen == {i for i, c in enumerate(question.choices) if c.correct}
    if isinstance(question, TrueFalse):
        return response is question.answer
    if isinstance(question, Numeric):
        return question.accepts(float(response))  # type: ignore[arg-type]
    raise TypeError(f"{question.type} questions are self-rated")


def correct_answer(question: Question) -> str:
    """The right answer in words, for the feedback after a wrong response."""
    if isinstance(question, SingleChoice | MultiChoice):
        return ", ".join(f"{LETTERS[i]}) {c.text}" for i, c in enumerate(question.choices)
                         if c.correct)
    if isinstance(question, TrueFalse):
        return "true" if question.answer else "false"
    if isinstance(question, Numeric):
        unit = f" {question.unit}" if question.unit else ""
        return f"{question.value:g}{unit}"
    return question.model_answer  # type: ignore[union-attr]


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s.+-]", " ", text.lower())).strip()


def rubric_hits(question: ShortAnswer, text: str) -> list[bool]:
    """For each rubric point, whether the learner's text mentions one of its keywords."""
    said = f" {_normalize(text)} "
    return [any(f" {_normalize(k)}" in said for k in point.keywords) for point in question.rubric]


def suggested_rating(ticks: list[bool]) -> int:
    """All points covered: Good; at least half: Hard; less: Again."""
    covered = sum(ticks) / len(ticks) if ticks else 0.0
    if covered >= 1.0:
        return GOOD
    return HARD if covered >= 0.5 else AGAIN
