"""The JSON Schema of a bank file, generated from the pydantic models, for editors.

The schema accepts what the loader accepts: a number where text is expected, a numeric
string where a number is, ``yes``/``no`` for a boolean, one item where a list is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from normquiz.bank.drill_schema import Drill
from normquiz.bank.fields import (
    _strip_and_require,  # the validator NonEmptyText is built from
    to_bool,
    to_int,
    to_list,
    to_number,
    to_text,
)
from normquiz.bank.schema import (
    SCHEMA_VERSION,
    AuthorModel,
    MultiChoice,
    Numeric,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

SCHEMA_KINDS = ("questions", "drills")
SchemaKind = Literal["questions", "drills"]

AnyQuestion = Annotated[
    SingleChoice | MultiChoice | TrueFalse | Numeric | ShortAnswer, Field(discriminator="type")
]


class QuestionFile(AuthorModel):
    """A question file: ``schema_version`` and ``questions:``."""

    schema_version: Literal[1] = Field(description="The bank format version.")
    questions: list[AnyQuestion]


class DrillFile(AuthorModel):
    """A drill manifest: ``schema_version`` and ``drills:``."""

    schema_version: Literal[1] = Field(description="The bank format version.")
    drills: list[Drill]


_NUMBER_TEXT = r"^\s*[-+]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?\s*$"
_INT_TEXT = r"^\s*[-+]?\d[\d_]*(\.0*)?\s*$"
_BOOL_WORDS = ["true", "false", "yes", "no", "y", "n", "on", "off"]
_BOOL_TEXT = list(
    dict.fromkeys(w for word in _BOOL_WORDS for w in (word, word.title(), word.upper()))
)
# pydantic puts a constraint it cannot push into a converted type under its Python name
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _lenient(inner: JsonSchemaValue, extra: JsonSchemaValue) -> JsonSchemaValue:
    return {"anyOf": [inner, extra]}


_LENIENCY: dict[Callable[[Any], object], Callable[[JsonSchemaValue], JsonSchemaValue]] = {
    to_text: lambda inner: _lenient(inner, {"type": "number"}),
    to_number: lambda inner: _lenient(inner, {"type": "string", "pattern": _NUMBER_TEXT}),
    to_int: lambda inner: _lenient(inner, {"type": "string", "pattern": _INT_TEXT}),
    _strip_and_require: lambda inner: _lenient({**inner, "pattern": r"\S"}, {"type": "number"}),
    to_bool: lambda inner: _lenient(inner, {"enum": _BOOL_TEXT}),
    to_list: lambda inner: _lenient(inner, inner.get("items", {})),
}


class LenientSchema(GenerateJsonSchema):
    """pydantic's generator, widened where a before-validator converts what YAML gives."""

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        widen = _LENIENCY.get(_unwrapped(schema["function"]["function"]))
        return widen(inner) if widen else inner

    def chain_schema(self, schema: core_schema.ChainSchema) -> JsonSchemaValue:
        """The first step's schema, with the constraints later steps check (a slug's
        pattern after its text conversion) added to the branches of their type."""
        first = self.generate_inner(schema["steps"][0])
        for step in schema["steps"][1:]:
            inner = step.get("schema")
            if inner is not None:
                _constrain(first, self.generate_inner(inner))
        return first


def _constrain(target: JsonSchemaValue, constraint: JsonSchemaValue) -> None:
    """Add ``constraint``'s keywords to the branch(es) of ``target`` with its type."""
    branches = target.get("anyOf", [target])
    for branch in branches:
        if branch.get("type") == constraint.get("type"):
            branch.update(constraint)


def _json_bounds(node: Any, in_properties: bool = False) -> None:
    """Rename pydantic's ge/le/gt/lt left in a schema to JSON Schema's keywords."""
    if isinstance(node, dict):
        for key in list(node):
            if not in_properties and key in _BOUNDS:
                node[_BOUNDS[key]] = node.pop(key)
        for key, value in node.items():
            _json_bounds(value, key == "properties" and not in_properties)
    elif isinstance(node, list):
        for value in node:
            _json_bounds(value)


def _unwrapped(function: Any) -> Any:
    """The plain function behind a validator (field_validator wraps it)."""
    return getattr(function, "__func__", getattr(function, "func", function))


def file_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a question file or a drill manifest."""
    model = QuestionFile if kind == "questions" else DrillFile
    schema = model.model_json_schema(schema_generator=LenientSchema)
    _json_bounds(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"normquiz {kind} file (schema_version {SCHEMA_VERSION})"
    return schema


def schema_text(kind: SchemaKind) -> str:
    """The schema as the JSON text ``normquiz schema`` prints and the repo ships."""
    return json.dumps(file_schema(kind), indent=2, sort_keys=True) + "\n"
