"""One home per question type's behaviour in a session: how it is shown, asked (terminal
and plain mode), parsed, graded, rated and explained after the answer.

A new type needs its pydantic model in ``bank/schema.py`` (its fields, and what lint and
proofs check about its key), one ``QuestionKind`` subclass here registered in ``KINDS``,
and a row in the README's bank format. Nothing else branches on the type.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from normquiz.bank.rubric import Coverage, PointCheck, coverage
from normquiz.bank.schema import (
    MultiChoice,
    Numeric,
    Question,
    QuestionBase,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from normquiz.progress.scheduler import AGAIN, EASY, GOOD, HARD, RATING_NAMES
from normquiz.quiz.layout import Fragments
from normquiz.quiz.markdown import markdown
from normquiz.quiz.outcome import Outcome

LETTERS = string.ascii_lowercase
Q = TypeVar("Q", bound=Question)
C = TypeVar("C", bound=SingleChoice | MultiChoice)


@dataclass(frozen=True)
class Invalid:
    """A line that is not an answer; ``reason`` says what to type instead."""

    reason: str


@dataclass(frozen=True)
class SelfRating:
    points: list[bool]
    rating: int


class Rater(Protocol):
    """A front end's way to show a self-graded answer's rubric and read the learner's rating."""

    def show(self, fragments: Fragments) -> None: ...
    def rate(self, points: list[str], ticks: list[bool], suggestion: int) -> SelfRating: ...


class Recorder(Protocol):
    """The session's side: record an outcome (and move on)."""

    auto_easy: bool  # a fast right answer is rated Easy

    def record(self, outcome: Outcome) -> Outcome: ...


def verdict_marks(unicode: bool) -> tuple[str, str]:
    """How right and wrong are marked: words with a sign, ASCII where Unicode cannot print."""
    return ("✓ Right", "✗ Wrong") if unicode else ("[+] Right", "[-] Wrong")


class QuestionKind(Generic[Q]):
    """How one question type behaves. Responses are the parsed form (an index, a tuple of
    indexes, a bool, a float, text); ``response_json`` is how they are stored."""

    type: ClassVar[str]
    label: ClassVar[str]
    keys_help: ClassVar[str]
    fast_seconds: ClassVar[float] = 0.0  # right within this many seconds: rated Easy
    multiline: ClassVar[bool] = False  # answered in several lines (plain mode: until ".")

    def options(self, question: Q) -> Fragments:
        """What is shown under the prompt (the choices)."""
        return []

    def plain_hint(self, question: Q) -> str:
        raise NotImplementedError

    def parse(self, question: Q, text: str) -> object:
        """The response for a typed line, or Invalid."""
        raise NotImplementedError

    def ask_terminal(self, question: Q, context: Fragments) -> object:
        """Read a response in the terminal under ``context`` (the question as shown):
        ("answer", response) or a command name."""
        from normquiz.quiz.typed import typed_answer

        return typed_answer(
            self.plain_hint(question),
            self.keys_help,
            lambda text: self.parse(question, text),
            self.multiline,
            context,
        )

    def is_correct(self, question: Q, response: Any) -> bool:
        raise NotImplementedError

    def response_json(self, question: Q, response: Any) -> object:
        return response

    def answer_text(self, question: Q) -> str:
        """The right answer in words, for the feedback after a wrong response."""
        raise NotImplementedError

    def auto_rating(self, correct: bool, seconds: float, auto_easy: bool = True) -> int:
        """Wrong: Again; right: Good; right within ``fast_seconds`` (when on): Easy."""
        if not correct:
            return AGAIN
        return EASY if auto_easy and seconds <= self.fast_seconds else GOOD

    def conclude(
        self, question: Q, response: Any, seconds: float, session: Recorder, rater: Rater
    ) -> Outcome:
        """Grade the response and record it (self-rated kinds ask ``rater`` first)."""
        correct = self.is_correct(question, response)
        return session.record(
            Outcome(
                question,
                self.response_json(question, response),
                correct,
                self.auto_rating(correct, seconds, session.auto_easy),
                seconds,
            )
        )

    def verdict(self, outcome: Outcome, unicode: bool) -> Fragments:
        right, wrong = verdict_marks(unicode)
        if outcome.correct:
            return [("class:good", right + "\n")]
        question: Any = outcome.question
        answer = markdown(self.answer_text(question) + "\n", "class:answer")
        return [("class:bad", f"{wrong}. "), ("", "The answer is "), *answer]

    def feedback(self, outcome: Outcome) -> Fragments:
        """Type-specific feedback after the verdict."""
        return []


class ChoiceKind(QuestionKind[C]):
    """Shared by single and multiple choice: choices are lettered a, b, c, ..."""

    multi: ClassVar[bool] = False

    def options(self, question: C) -> Fragments:
        fragments: Fragments = []
        for i, choice in enumerate(question.choices):
            text = markdown(choice.text + "\n")
            fragments += [("class:letter", f"  {LETTERS[i]}) "), *text]
        return fragments

    def answer_text(self, question: C) -> str:
        return ", ".join(
            f"{LETTERS[i]}) {c.text}" for i, c in enumerate(question.choices) if c.correct
        )

    def feedback(self, outcome: Outcome) -> Fragments:
        """The feedback of each choice the learner got wrong (picked wrongly or missed)."""
        if outcome.correct:
            return []
        question: Any = outcome.question
        letters: Any = outcome.response
        picked = {LETTERS.index(x) for x in ([letters] if isinstance(letters, str) else letters)}
        fragments: Fragments = []
        for i, choice in enumerate(question.choices):
            if (i in picked) != choice.correct and choice.feedback:
                what = "you picked" if i in picked else "you missed"
                fragments += [("class:letter", f"  {LETTERS[i]}) {what}: ")]
                fragments += markdown(choice.feedback.strip() + "\n")
        return fragments

    def ask_terminal(self, question: C, context: Fragments) -> object:
        from normquiz.quiz.widgets import ChoiceMenu

        texts = [choice.text for choice in question.choices]
        return ChoiceMenu(texts, self.multi, context).run()


def _letter_range(count: int) -> str:
    return f"a-{LETTERS[count - 1]}"


class SingleKind(ChoiceKind[SingleChoice]):
    type, label = "single", "single choice"
    keys_help = "Up/Down or a letter to choose, Enter to confirm"
    fast_seconds = 10.0

    def plain_hint(self, question: SingleChoice) -> str:
        return f"a letter {_letter_range(len(question.choices))}"

    def parse(self, question: SingleChoice, text: str) -> object:
        letter = text.strip().lower()
        if len(letter) == 1 and letter in LETTERS[: len(question.choices)]:
            return LETTERS.index(letter)
        return Invalid(f"type one letter, {_letter_range(len(question.choices))}")

    def is_correct(self, question: SingleChoice, response: int) -> bool:
        return question.choices[response].correct

    def response_json(self, question: SingleChoice, response: int) -> object:
        return LETTERS[response]


class MultiKind(ChoiceKind[MultiChoice]):
    type, label = "multi", "multiple choice"
    keys_help = "Up/Down to move, Space or a letter to toggle, Enter to confirm"
    fast_seconds = 15.0
    multi = True

    def plain_hint(self, question: MultiChoice) -> str:
        return f"letters separated by commas, e.g. a,c ({_letter_range(len(question.choices))})"

    def parse(self, question: MultiChoice, text: str) -> object:
        count = len(question.choices)
        parts = [p.strip().lower() for p in text.strip().replace(" ", ",").split(",") if p.strip()]
        if not parts or any(len(p) != 1 or p not in LETTERS[:count] for p in parts):
            return Invalid(
                f"type one or more letters separated by commas, e.g. a,c ({_letter_range(count)})"
            )
        return tuple(sorted({LETTERS.index(p) for p in parts}))

    def is_correct(self, question: MultiChoice, response: tuple[int, ...]) -> bool:
        return set(response) == question.correct_indexes()

    def response_json(self, question: MultiChoice, response: tuple[int, ...]) -> object:
        return [LETTERS[i] for i in sorted(response)]


class TrueFalseKind(QuestionKind[TrueFalse]):
    type, label = "true_false", "true/false"
    keys_help = "t for true, f for false"
    fast_seconds = 6.0

    def plain_hint(self, question: TrueFalse) -> str:
        return "t or f"

    def parse(self, question: TrueFalse, text: str) -> object:
        word = text.strip().lower()
        if word in ("t", "true"):
            return True
        if word in ("f", "false"):
            return False
        return Invalid("type t (true) or f (false)")

    def ask_terminal(self, question: TrueFalse, context: Fragments) -> object:
        from normquiz.quiz.widgets import TrueFalseMenu

        return TrueFalseMenu(context).run()

    def is_correct(self, question: TrueFalse, response: bool) -> bool:
        return response is question.answer

    def answer_text(self, question: TrueFalse) -> str:
        return "true" if question.answer else "false"


_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")


def parse_number(text: str) -> float | Invalid:
    """A finite number: 128, -0.5, 1e-5, 1_000, 1,000,000 or 1,000.5. A comma is never
    guessed at: it is read as a thousands separator only where it cannot be a decimal
    comma (two or more of them, or a decimal point after it); otherwise the number is
    refused with what was probably meant ("did you mean 0.302?")."""
    cleaned = text.strip().replace("_", "")
    if "," in cleaned:
        if not _THOUSANDS.fullmatch(cleaned) or ("." not in cleaned and cleaned.count(",") == 1):
            return _comma_refused(cleaned)
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return Invalid("type a number, e.g. 128, 0.5 or 1e-5")
    return value if math.isfinite(value) else Invalid("type a finite number")


def _comma_refused(text: str) -> Invalid:
    """Why a number with a comma that may be a decimal comma is refused, and what to type."""
    decimal, whole = (
        re.sub(r"^([+-]?)\.", r"\g<1>0.", text.replace(",", ".")),
        text.replace(",", ""),
    )
    if text.count(",") != 1 or not _is_number(decimal):
        return Invalid(
            "type a number with a decimal point, e.g. 0.5 (commas only between thousands)"
        )
    if _THOUSANDS.fullmatch(text):
        return Invalid(f"{text} is ambiguous: type {whole} (thousands) or {decimal} (a decimal)")
    return Invalid(f"did you mean {decimal}? Type a decimal point, not a comma")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class NumericKind(QuestionKind[Numeric]):
    type, label = "numeric", "numeric"
    keys_help = "type a number (128, 0.5, 1e-5; a decimal point, not a comma) and Enter"
    fast_seconds = 20.0

    def plain_hint(self, question: Numeric) -> str:
        return "a number"

    def parse(self, question: Numeric, text: str) -> object:
        return parse_number(text)

    def is_correct(self, question: Numeric, response: float) -> bool:
        return question.accepts(float(response))

    def answer_text(self, question: Numeric) -> str:
        unit = f" {question.unit}" if question.unit else ""
        return f"{question.value:g}{unit}"


def rubric_hits(question: ShortAnswer, text: str) -> list[bool]:
    """For each rubric point, whether the learner's text states it."""
    return [check.ticked for check in question.checks(text)]


SUGGESTIONS = {Coverage.ALL: GOOD, Coverage.HALF: HARD, Coverage.FEW: AGAIN}


def suggested_rating(ticks: list[bool]) -> int:
    """All points covered: Good; at least half: Hard; less: Again."""
    return SUGGESTIONS[coverage(ticks)]


class ShortKind(QuestionKind[ShortAnswer]):
    """Free text, self-rated against the model answer and rubric points (Again is wrong)."""

    type, label = "short", "short answer"
    keys_help = "Enter starts a new line; Esc then Enter (or Alt-Enter) submits"
    multiline = True

    def plain_hint(self, question: ShortAnswer) -> str:
        return "your answer, in as many lines as you like"

    def parse(self, question: ShortAnswer, text: str) -> object:
        return text.strip() or Invalid("type your answer")

    def answer_text(self, question: ShortAnswer) -> str:
        return question.model_answer

    def conclude(
        self, question: ShortAnswer, response: Any, seconds: float, session: Recorder, rater: Rater
    ) -> Outcome:
        checks = question.checks(str(response))
        ticks = [check.ticked for check in checks]
        rater.show(self.model_answer(question, checks))
        rated = rater.rate([p.point for p in question.rubric], ticks, suggested_rating(ticks))
        stored = {"text": str(response), "points": list(rated.points)}
        outcome = Outcome(question, stored, rated.rating != AGAIN, rated.rating, seconds)
        return session.record(outcome)

    def model_answer(self, question: ShortAnswer, checks: list[PointCheck]) -> Fragments:
        """The model answer, then each point with the words of the learner's that ticked it
        (or the words that kept it from being ticked)."""
        fragments: Fragments = [("class:heading", "Model answer:\n")]
        fragments += markdown(question.model_answer.strip() + "\n")
        fragments += [("class:heading", "Rubric (ticked: your answer states it):\n")]
        for i, (point, check) in enumerate(zip(question.rubric, checks, strict=True)):
            mark = "[x]" if check.ticked else "[ ]"
            style = "class:good" if check.ticked else ""
            fragments.append((style, f"  {i + 1}. {mark} {point.point}\n"))
            if why := _tick_reason(check):
                fragments.append(("class:muted", f"       {why}\n"))
        return fragments

    def verdict(self, outcome: Outcome, unicode: bool) -> Fragments:
        right, wrong = verdict_marks(unicode)
        mark = right if outcome.correct else wrong
        style = "class:good" if outcome.correct else "class:bad"
        return [(style, f"{mark} (rated {RATING_NAMES[outcome.rating]})\n")]


def _tick_reason(check: PointCheck) -> str:
    quoted = ", ".join(f'"{words}"' for words in check.stated)
    if check.contradicted is not None:
        said = f"you wrote {quoted}, but also " if check.stated else "you wrote "
        return f'{said}"{check.contradicted}", which contradicts it'
    return f"ticked by {quoted}" if check.stated else ""


KINDS: dict[str, QuestionKind[Any]] = {
    kind.type: kind
    for kind in (SingleKind(), MultiKind(), TrueFalseKind(), NumericKind(), ShortKind())
}


def kind_of(question: QuestionBase) -> QuestionKind[Any]:
    return KINDS[question.type]
