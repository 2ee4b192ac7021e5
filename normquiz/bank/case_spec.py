"""Drills declared in a bank: a reference file and cases written as data.

An argument of a declared case is a plain YAML value (passed as is) or an array spec, a
mapping with ``shape``; arrays are generated from the check's seed by the grader
(``normquiz.drills.cases.declared``), which this module does not import.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from normquiz.bank.fields import Int, NonEmptyText, Number, Slug
from normquiz.bank.schema import AuthorModel

MAX_ELEMENTS = 1 << 22  # one declared array: 4M elements (32 MB in float64)
DISTRIBUTION_FIELDS = {
    "normal": {"loc", "scale"},
    "uniform": {"low", "high"},
    "constant": {"value"},
    "arange": {"loc", "scale"},
}


class ArraySpec(AuthorModel):
    """An array generated from the check's seed: standard normal unless told otherwise.

    normal: loc + scale * N(0, 1); uniform: U(low, high); constant: every element value;
    arange: loc + scale * (0, 1, 2, ...) in the shape."""

    shape: Annotated[list[Annotated[Int, Field(ge=0)]], Field(max_length=8)]
    dtype: Literal["float32", "float64", "int64"] = "float64"
    dist: Literal["normal", "uniform", "constant", "arange"] = "normal"
    loc: Number = 0.0
    scale: Number = 1.0
    value: Number | None = None
    low: Number = 0.0
    high: Number = 1.0

    @model_validator(mode="after")
    def _consistent(self) -> ArraySpec:
        given = self.model_fields_set - {"shape", "dtype", "dist"}
        stray = sorted(given - DISTRIBUTION_FIELDS[self.dist])
        if stray:
            raise PydanticCustomError(
                "spec_field",
                "{fields} has no meaning for dist {dist} (it takes {takes})",
                {
                    "fields": ", ".join(stray),
                    "dist": self.dist,
                    "takes": ", ".join(sorted(DISTRIBUTION_FIELDS[self.dist])),
                },
            )
        if self.dist == "constant" and self.value is None:
            raise PydanticCustomError("spec_value", "dist constant needs `value`")
        if self.dist == "uniform" and not self.low < self.high:
            raise PydanticCustomError("spec_range", "dist uniform needs low < high")
        if math.prod(self.shape) > MAX_ELEMENTS:
            raise PydanticCustomError(
                "spec_size", "the shape has more than {most} elements", {"most": MAX_ELEMENTS}
            )
        return self


def _kind(value: Any) -> str:
    return "<array>" if isinstance(value, dict) and "shape" in value else "<value>"


def _named(value: Any) -> str:
    """A built-in's name (text) or the declared form; tags start with '<' (never a field)."""
    return "<name>" if isinstance(value, str) else "<declared>"


def _plain(value: Any) -> Any:
    """A plain YAML value, as JSON can carry it to the grader."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        raise PydanticCustomError("plain_value", "expected a plain YAML value") from None


Argument = Annotated[
    Annotated[ArraySpec, Tag("<array>")] | Annotated[Any, Tag("<value>")],
    Discriminator(_kind),
]


class CaseSpec(AuthorModel):
    """One declared case: the function is called as ``function(*args, **kwargs)``."""

    name: NonEmptyText
    args: list[Argument] = Field(default_factory=list)
    kwargs: dict[str, Argument] = Field(default_factory=dict)

    @field_validator("args", mode="after")
    @classmethod
    def _plain_args(cls, values: list[Any]) -> list[Any]:
        return [v if isinstance(v, ArraySpec) else _plain(v) for v in values]

    @field_validator("kwargs", mode="after")
    @classmethod
    def _plain_kwargs(cls, values: dict[str, Any]) -> dict[str, Any]:
        return {k: v if isinstance(v, ArraySpec) else _plain(v) for k, v in values.items()}


class ReferenceFile(AuthorModel):
    """A Python file in the bank defining the drill's function: what is right."""

    file: NonEmptyText  # relative to the manifest's directory


ReferenceField = Annotated[
    Annotated[Slug, Tag("<name>")] | Annotated[ReferenceFile, Tag("<declared>")],
    Discriminator(_named),
]
CasesField = Annotated[
    Annotated[Slug, Tag("<name>")]
    | Annotated[list[CaseSpec], Field(min_length=1), Tag("<declared>")],
    Discriminator(_named),
]


def unique_names(cases: list[CaseSpec]) -> list[CaseSpec]:
    names = [case.name for case in cases]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise PydanticCustomError(
            "case_names", "case names must be unique; twice: {names}", {"names": ", ".join(twice)}
        )
    return cases


def cases_json(cases: list[CaseSpec]) -> str:
    """The declared cases as the grader receives them (plain JSON, defaults filled in)."""
    return json.dumps([case.model_dump() for case in cases], sort_keys=True)
