"""Reading a typed answer (plain mode, and the numeric prompt of the terminal UI)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from normquiz.bank.schema import MultiChoice, Numeric, Question, ShortAnswer, SingleChoice, TrueFalse
from normquiz.quiz.grading import LETTERS

COMMANDS = {"s": "skip", "q": "quit", "?": "help"}


@dataclass(frozen=True)
class Invalid:
    """A line that is not an answer; ``reason`` says what to type instead."""

    reason: str


def parse_answer(question: Question, line: str) -> object:
    """The response for ``line``, or Invalid. Commands (s, q, ?) are handled by callers."""
    text = line.strip()
    if isinstance(question, SingleChoice):
        return _parse_letter(text, len(question.choices))
    if isinstance(question, MultiChoice):
        return _parse_letters(text, len(question.choices))
    if isinstance(question, TrueFalse):
        return _parse_bool(text)
    if isinstance(question, Numeric):
        return parse_number(text)
    if isinstance(question, ShortAnswer):
        return text if text else Invalid("type your answer in one line")
    return Invalid(f"unsupported question type {question.type}")


def _letter_range(count: int) -> str:
    return f"a-{LETTERS[count - 1]}"


def _parse_letter(text: str, count: int) -> object:
    letter = text.lower()
    if len(letter) == 1 and letter in LETTERS[:count]:
        return LETTERS.index(letter)
    return Invalid(f"type one letter, {_letter_range(count)}")


def _parse_letters(text: str, count: int) -> object:
    parts = [p.strip().lower() for p in text.replace(" ", ",").split(",") if p.strip()]
    if not parts or any(len(p) != 1 or p not in LETTERS[:count] for p in parts):
        return Invalid(f"type one or more letters separated by commas, e.g. a,c ({_letter_range(count)})")
    return tuple(sorted({LETTERS.index(p) for p in parts}))


def _parse_bool(text: str) -> object:
    word = text.lower()
    if word in ("t", "true"):
        return True
    if word in ("f", "false"):
        return False
    return Invalid("type t (true) or f (false)")


def parse_number(text: str) -> object:
    """A finite number: 128, -0.5, 1e-5, 1_000 or 1,000 (thousands separator)."""
    cleaned = text.replace("_", "")
    if "," in cleaned and all(len(g) == 3 for g in cleaned.split(",")[1:]):
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return Invalid("type a number, e.g. 128, 0.5 or 1e-5")
    if not math.isfinite(value):
        return Invalid("type a finite number")
    return value
