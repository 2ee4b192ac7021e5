"""The drill manifest schema: drills are data (prompt, starter, hints, cases, mistakes).

Validated by the bank loader like questions; grading them is the business of
``normquiz.drills``, which this module does not import."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from normquiz.bank.banned import BANNED_GROUPS
from normquiz.bank.case_spec import CasesField, CaseSpec, ReferenceField, unique_names
from normquiz.bank.fields import NonEmptyText, Number, Slug, to_list
from normquiz.bank.schema import AuthorModel, BankItem


class Tolerance(AuthorModel):
    """An output matches when |got - expected| <= atol + rtol * |expected| everywhere."""

    atol: Annotated[Number, Field(ge=0)]
    rtol: Annotated[Number, Field(ge=0)]


# A case is graded with its dtype's tolerance, or far_<dtype>'s when its data lie far from zero
# (around 1e4, where float32 rounding alone costs more) and the drill gives one.
ToleranceKey = Literal["float32", "float64", "far_float32", "far_float64"]
REQUIRED_TOLERANCES = ("float32", "float64")


def _every_dtype(tolerances: dict[ToleranceKey, Tolerance]) -> dict[ToleranceKey, Tolerance]:
    missing = [key for key in REQUIRED_TOLERANCES if key not in tolerances]
    if missing:
        raise PydanticCustomError(
            "tolerance_missing",
            "needs a tolerance (atol and rtol) for each dtype, float32 and float64; "
            "missing: {missing}",
            {"missing": ", ".join(missing)},
        )
    return tolerances


class Mistake(AuthorModel):
    """A known wrong implementation; a submission matching it everywhere gets its id."""

    id: Slug
    explanation: NonEmptyText
    file: NonEmptyText  # relative to the bank directory holding the manifest


class Drill(BankItem):
    """A coding drill: what to write, how it is graded, and the mistakes it recognizes."""

    title: NonEmptyText
    function: NonEmptyText  # the name the learner's file must define
    protocol: Literal["function", "train_steps", "conv_bn", "bn_module", "exception_name"] = (
        "function"
    )
    starter: NonEmptyText  # relative to the manifest's directory
    hints: Annotated[list[NonEmptyText], Field(min_length=2)]
    banned: list[NonEmptyText] = Field(default_factory=list)
    reference: ReferenceField  # a name in normquiz.drills.references, or the bank's file
    cases: CasesField  # a name in normquiz.drills.cases, or a list of declared cases
    tolerances: dict[ToleranceKey, Tolerance]
    mistakes: Annotated[list[Mistake], Field(min_length=1)]
    solution: NonEmptyText  # relative to the manifest, like every drill file

    _single_banned = field_validator("banned", mode="before")(to_list)
    _tolerances = field_validator("tolerances")(_every_dtype)

    @field_validator("cases")
    @classmethod
    def _unique_cases(cls, cases: str | list[CaseSpec]) -> str | list[CaseSpec]:
        return cases if isinstance(cases, str) else unique_names(cases)

    @property
    def kind(self) -> str:
        return "drill"

    @property
    def type(self) -> str:
        return "drill"

    def banned_names(self) -> list[str]:
        """The banned dotted names, with groups such as norm-builtins expanded."""
        names: list[str] = []
        for entry in self.banned:
            names.extend(BANNED_GROUPS.get(entry, (entry,)))
        return list(dict.fromkeys(names))
