"""The question schema: pydantic models for author-written YAML (unknown fields rejected)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from normquiz.bank.fields import Bool, Int, NonEmptyText, Number, Slug, Text, to_list
from normquiz.bank.proofs import weak_proof_problems
from normquiz.bank.rubric import Coverage, Phrase, PointCheck, check_point, coverage, words

SCHEMA_VERSION = 1
MAX_CHOICES = 10  # letters a-j; q and s stay free for quit and skip


class AuthorModel(BaseModel):
    """Base for every model read from YAML: unknown fields are errors, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PaperReference(AuthorModel):
    title: NonEmptyText
    authors: Annotated[list[NonEmptyText], Field(min_length=1)]
    year: Annotated[Int, Field(ge=1900, le=2100)]
    venue: Text | None = None
    section: Text | None = None
    url: Text | None = None

    _single_author = field_validator("authors", mode="before")(to_list)


class DocReference(AuthorModel):
    title: NonEmptyText
    url: NonEmptyText
    section: Text | None = None

    @field_validator("url")
    @classmethod
    def _is_web_address(cls, url: str) -> str:
        if not url.startswith(("https://", "http://")):
            raise PydanticCustomError("url", "expected a web address starting with https://")
        return url


def _reference_kind(data: object) -> str | None:
    if isinstance(data, dict):
        return "paper" if ("authors" in data or "year" in data) else "doc"
    if isinstance(data, BaseModel):
        return "paper" if isinstance(data, PaperReference) else "doc"
    return None


Reference = Annotated[
    Annotated[PaperReference, Tag("paper")] | Annotated[DocReference, Tag("doc")],
    Discriminator(
        _reference_kind,
        custom_error_type="reference_type",
        custom_error_message="expected a paper (title, authors, year) or a documentation "
        "page (title, url)",
    ),
]
REFERENCE_TAGS = frozenset({"paper", "doc"})


class BankItem(AuthorModel):
    """Fields every question and drill has. Progress is keyed by ``id``: never change it."""

    id: Slug
    topic: Slug
    tags: list[NonEmptyText] = []
    difficulty: Annotated[Int, Field(ge=1, le=3)]
    prompt: NonEmptyText
    related: list[Slug] = []

    _single_tag = field_validator("tags", "related", mode="before")(to_list)


class QuestionBase(BankItem):
    """Fields every question has."""

    type: str
    explanation: NonEmptyText
    references: Annotated[list[Reference], Field(min_length=1)]
    verify: NonEmptyText | None = None
    # a proof computes the key from what torch does; an illustration only shows it
    verify_kind: Literal["proof", "illustration"] = "proof"
    myth: NonEmptyText | None = None

    @property
    def kind(self) -> str:
        return "question"

    def author_problems(self) -> list[tuple[str, str]]:
        """(field, message) for what lint reports about this question on its own."""
        found = _verify_problems(self.id, self.verify)
        if self.verify and not found and self.verify_kind == "proof":
            found = weak_proof_problems(self.verify)
        return [("verify", message) for message in found]

    @property
    def proved(self) -> bool:
        """Whether a snippet proves the key (an illustration does not)."""
        return bool(self.verify) and self.verify_kind == "proof"

    def proof_problem(self, answer: object) -> str | None:
        """Why the ``answer`` a verify snippet computed disagrees with the key, or None.
        Types whose key a snippet can compute override this."""
        return None


def _verify_problems(question_id: str, code: str | None) -> list[str]:
    if not code:
        return []
    try:
        compile(code, f"<verify of {question_id}>", "exec")
    except SyntaxError as error:
        return [
            f"verify does not compile: {error.msg} (snippet line {error.lineno}, "
            f"column {error.offset})"
        ]
    except ValueError as error:  # e.g. null bytes
        return [f"verify does not compile: {error}"]
    except (RecursionError, MemoryError):
        return ["verify does not compile: it is nested too deeply for Python"]
    return []


class Choice(AuthorModel):
    text: NonEmptyText
    correct: Bool = False
    feedback: NonEmptyText | None = None


def _correct_indexes(choices: list[Choice]) -> list[int]:
    return [i for i, choice in enumerate(choices) if choice.correct]


class ChoiceQuestion(QuestionBase):
    """A question answered by picking choices."""

    choices: Annotated[list[Choice], Field(min_length=2, max_length=MAX_CHOICES)]

    def author_problems(self) -> list[tuple[str, str]]:
        """Choices are distinct, and every wrong choice says why it is wrong."""
        texts = Counter(choice.text.strip() for choice in self.choices)
        found = [f"choice '{text}' appears {n} times" for text, n in texts.items() if n > 1]
        found += [
            f"choices[{i}] is wrong but has no `feedback` saying why"
            for i, choice in enumerate(self.choices)
            if not choice.correct and not choice.feedback
        ]
        return super().author_problems() + [("choices", message) for message in found]

    def correct_indexes(self) -> set[int]:
        return set(_correct_indexes(self.choices))


class SingleChoice(ChoiceQuestion):
    """Several choices, exactly one correct; wrong choices explain themselves in ``feedback``."""

    type: Literal["single"]

    @field_validator("choices")
    @classmethod
    def _exactly_one_correct(cls, choices: list[Choice]) -> list[Choice]:
        correct = _correct_indexes(choices)
        if len(correct) != 1:
            raise PydanticCustomError(
                "single_correct",
                "a single-choice question needs exactly one choice with `correct: true`; "
                "found {count}{which}",
                {"count": len(correct), "which": _which(correct)},
            )
        return choices


class MultiChoice(ChoiceQuestion):
    """Several choices, one or more correct."""

    type: Literal["multi"]

    @field_validator("choices")
    @classmethod
    def _at_least_one_correct(cls, choices: list[Choice]) -> list[Choice]:
        if not _correct_indexes(choices):
            raise PydanticCustomError(
                "multi_correct",
                "a multi-choice question needs at least one choice with "
                "`correct: true`; found none",
            )
        return choices


def _which(indexes: list[int]) -> str:
    if not indexes:
        return ""
    return " (" + ", ".join(f"choices[{i}]" for i in indexes) + ")"


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: Bool

    def proof_problem(self, answer: object) -> str | None:
        """A snippet may set ``answer``; if it does, it must equal the key."""
        if answer is not None and answer is not self.answer:
            return f"verify computed answer = {answer}, but the question says {self.answer}"
        return None


class Numeric(QuestionBase):
    """A number, accepted within ``abs_tol`` or ``rel_tol`` (either suffices)."""

    type: Literal["numeric"]
    value: Number
    abs_tol: Annotated[Number, Field(ge=0)] | None = None
    rel_tol: Annotated[Number | None, Field(validate_default=True)] = None
    unit: Text | None = None

    @field_validator("rel_tol")
    @classmethod
    def _usable_tolerance(cls, rel_tol: float | None, info: ValidationInfo) -> float | None:
        if rel_tol is not None and rel_tol < 0:
            raise PydanticCustomError("tolerance", "must be 0 or more, got {got}", {"got": rel_tol})
        if "value" not in info.data or "abs_tol" not in info.data:
            return rel_tol  # value or abs_tol already failed; that error is the one to show
        abs_tol, value = info.data["abs_tol"], info.data["value"]
        if abs_tol is None and rel_tol is None:
            raise PydanticCustomError(
                "tolerance",
                "a numeric question needs `abs_tol` or `rel_tol` (`abs_tol: 0` for an exact count)",
            )
        if not (abs_tol or rel_tol) and value != int(value):
            raise PydanticCustomError(
                "tolerance",
                "a tolerance of 0 on the non-integer value {value} cannot be met "
                "by a typed answer; give `abs_tol` or `rel_tol` above 0",
                {"value": value},
            )
        return rel_tol

    def accepts(self, answer: float) -> bool:
        """Whether ``answer`` is within either tolerance of ``value``."""
        error = abs(answer - self.value)
        return error <= (self.abs_tol or 0.0) or error <= (self.rel_tol or 0.0) * abs(self.value)

    def tolerance_text(self, unit: str | None = None) -> str:
        """How near an answer must be, in words: "accepted within ± 0.5 parameters or
        ± 10%", or "exact"; ``unit`` stands for the question's unit (e.g. escaped)."""
        shown = f" {unit if unit is not None else self.unit}" if self.unit else ""
        ways = []
        if self.abs_tol:
            ways.append(f"± {self.abs_tol:g}{shown}")
        if self.rel_tol:
            ways.append(f"± {self.rel_tol * 100:g}%")
        return "accepted within " + " or ".join(ways) if ways else "exact"

    def proof_problem(self, answer: object) -> str | None:
        """A numeric snippet must set ``answer`` to the number it proves."""
        if not isinstance(answer, (int, float)) or isinstance(answer, bool):
            return "a numeric question's verify must set `answer` to the number it proves"
        if not self.accepts(float(answer)):
            return f"verify computed answer = {answer:g}, but the question says {self.value:g}"
        return None


class RubricPoint(AuthorModel):
    """One point of a model answer: ticked when the learner states a ``keywords`` phrase
    and no ``unless`` phrase (see ``bank/rubric.py`` for how phrases match)."""

    point: NonEmptyText
    keywords: Annotated[list[NonEmptyText], Field(min_length=1)]
    unless: list[NonEmptyText] = []

    _single_keyword = field_validator("keywords", "unless", mode="before")(to_list)

    @field_validator("keywords", "unless")
    @classmethod
    def _phrases_have_words(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            if not Phrase.parse(phrase).parts:
                raise PydanticCustomError(
                    "phrase", "the phrase {phrase!r} has no letters or digits", {"phrase": phrase}
                )
        return phrases

    def check(self, said: list[str]) -> PointCheck:
        """How the learner's words (from ``rubric.words``) fare against this point."""
        return check_point(self.keywords, self.unless, said)


class Samples(AuthorModel):
    """Calibration answers lint grades with the rubric: good ones must tick every point,
    bad ones (the myth, a swapped or negated key pair) fewer than half."""

    good: list[NonEmptyText] = []
    bad: list[NonEmptyText] = []

    _single_sample = field_validator("good", "bad", mode="before")(to_list)


MIN_SAMPLES = 2


class ShortAnswer(QuestionBase):
    """Free text, self-graded against a model answer and rubric points."""

    type: Literal["short"]
    model_answer: NonEmptyText
    rubric: Annotated[list[RubricPoint], Field(min_length=1)]
    samples: Samples | None = None

    def checks(self, text: str) -> list[PointCheck]:
        """For each rubric point, whether and in which words ``text`` states it."""
        said = words(text)
        return [point.check(said) for point in self.rubric]

    def author_problems(self) -> list[tuple[str, str]]:
        """Samples exist, and the rubric rates each as its author says it should be."""
        found = super().author_problems()
        samples = self.samples or Samples()
        for side, texts in (("good", samples.good), ("bad", samples.bad)):
            if len(texts) < MIN_SAMPLES:
                found.append((f"samples.{side}", _too_few_samples(side, len(texts))))
            found += [
                (f"samples.{side}[{i}]", message)
                for i, text in enumerate(texts)
                if (message := self._sample_problem(side, text))
            ]
        return found

    def _sample_problem(self, side: str, text: str) -> str | None:
        checks = self.checks(text)
        got = coverage([check.ticked for check in checks])
        if side == "good" and got is not Coverage.ALL:
            missed = [i + 1 for i, check in enumerate(checks) if not check.ticked]
            return f"good sample ticks {_ticked(checks)}; it misses point(s) {missed}: " + (
                "the rubric would not rate it Good"
            )
        if side == "bad" and got is not Coverage.FEW:
            hits = [f"{i + 1} ({', '.join(c.stated)})" for i, c in enumerate(checks) if c.ticked]
            return (
                f"bad sample ticks {_ticked(checks)}, so the rubric would not rate it Again; "
                f"ticked: {'; '.join(hits)}"
            )
        return None


def _ticked(checks: list[PointCheck]) -> str:
    return f"{sum(c.ticked for c in checks)} of {len(checks)} points"


def _too_few_samples(side: str, count: int) -> str:
    what = (
        "answers that must tick every point (one in plain words)"
        if side == "good"
        else "answers that must tick fewer than half (the myth; a swapped or negated pair)"
    )
    return f"needs at least {MIN_SAMPLES} {side} samples, {what}; found {count}"


Question = SingleChoice | MultiChoice | TrueFalse | Numeric | ShortAnswer
QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    "single": SingleChoice,
    "multi": MultiChoice,
    "true_false": TrueFalse,
    "numeric": Numeric,
    "short": ShortAnswer,
}
