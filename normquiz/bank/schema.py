"""The question schema: pydantic models for author-written YAML (unknown fields rejected)."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from normquiz.bank.fields import Bool, Int, NonEmptyText, Number, Slug, Text, to_list

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
    Union[Annotated[PaperReference, Tag("paper")], Annotated[DocReference, Tag("doc")]],
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
    myth: NonEmptyText | None = None

    @property
    def kind(self) -> str:
        return "question"


class Choice(AuthorModel):
    text: NonEmptyText
    correct: Bool = False
    feedback: NonEmptyText | None = None


def _correct_indexes(choices: list[Choice]) -> list[int]:
    return [i for i, choice in enumerate(choices) if choice.correct]


class SingleChoice(QuestionBase):
    """Several choices, exactly one correct; wrong choices explain themselves in ``feedback``."""

    type: Literal["single"]
    choices: Annotated[list[Choice], Field(min_length=2, max_length=MAX_CHOICES)]

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


class MultiChoice(QuestionBase):
    """Several choices, one or more correct."""

    type: Literal["multi"]
    choices: Annotated[list[Choice], Field(min_length=2, max_length=MAX_CHOICES)]

    @field_validator("choices")
    @classmethod
    def _at_least_one_correct(cls, choices: list[Choice]) -> list[Choice]:
        if not _correct_indexes(choices):
            raise PydanticCustomError(
                "multi_correct", "a multi-choice question needs at least one choice with "
                "`correct: true`; found none")
        return choices


def _which(indexes: list[int]) -> str:
    if not indexes:
        return ""
    return " (" + ", ".join(f"choices[{i}]" for i in indexes) + ")"


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: Bool


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
                "tolerance", "a numeric question needs `abs_tol` or `rel_tol` "
                "(`abs_tol: 0` for an exact count)")
        if not (abs_tol or rel_tol) and value != int(value):
            raise PydanticCustomError(
                "tolerance", "a tolerance of 0 on the non-integer value {value} cannot be met "
                "by a typed answer; give `abs_tol` or `rel_tol` above 0", {"value": value})
        return rel_tol

    def accepts(self, answer: float) -> bool:
        """Whether ``answer`` is within either tolerance of ``value``."""
        error = abs(answer - self.value)
        return error <= (self.abs_tol or 0.0) or error <= (self.rel_tol or 0.0) * abs(self.value)


class RubricPoint(AuthorModel):
    point: NonEmptyText
    keywords: Annotated[list[NonEmptyText], Field(min_length=1)]

    _single_keyword = field_validator("keywords", mode="before")(to_list)


class ShortAnswer(QuestionBase):
    """Free text, self-graded against a model answer and rubric points."""

    type: Literal["short"]
    model_answer: NonEmptyText
    rubric: Annotated[list[RubricPoint], Field(min_length=1)]


Question = SingleChoice | MultiChoice | TrueFalse | Numeric | ShortAnswer
QUESTION_TYPES: dict[str, type[QuestionBase]] = {
    "single": SingleChoice,
    "multi": MultiChoice,
    "true_false": TrueFalse,
    "numeric": Numeric,
    "short": ShortAnswer,
}
