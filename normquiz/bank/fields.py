"""Field types for author-written YAML: strict where YAML is ambiguous, kind where it is not.

Each validator accepts what an author plainly meant (``value: "1e-5"``, ``correct: yes``,
``text: 64``) and rejects the rest with a message that says what to write.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from normquiz.bank.yaml_source import SourceFloat, SourceInt

_TRUE_WORDS = {"true", "yes", "y", "on"}
_FALSE_WORDS = {"false", "no", "n", "off"}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(getattr(value, "source", value))


def to_text(value: object) -> object:
    """Numbers become their source text; booleans and containers are rejected."""
    if isinstance(value, (SourceInt, SourceFloat)):
        return value.source
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value
    hint = "; put it in quotes if it is meant as text" if isinstance(value, bool) else ""
    raise PydanticCustomError(
        "text_type", "expected text, got {got}{hint}", {"got": _describe(value), "hint": hint}
    )


def to_number(value: object) -> float:
    """A finite number; numeric strings such as '1e-5' are read, anything else rejected."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PydanticCustomError(
            "number_type", "expected a number, got {got}", {"got": _describe(value)}
        )
    if isinstance(value, str):
        try:
            value = float(value.strip().replace("_", ""))
        except ValueError:
            raise PydanticCustomError(
                "number_parsing", "expected a number, got {got}", {"got": repr(value)}
            ) from None
    if not math.isfinite(value):
        raise PydanticCustomError(
            "number_finite", "expected a finite number, got {got}", {"got": _describe(value)}
        )
    return float(value)


def to_int(value: object) -> int:
    """A whole number (2, 2.0 or '2'); anything else rejected."""
    number = to_number(value)
    if number != int(number):
        raise PydanticCustomError(
            "int_type", "expected a whole number, got {got}", {"got": _describe(value)}
        )
    return int(number)


def to_bool(value: object) -> bool:
    """true/false, also yes/no/on/off as YAML 1.1 authors write them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
        return value.strip().lower() in _TRUE_WORDS
    raise PydanticCustomError(
        "bool_type", "expected true or false, got {got}", {"got": _describe(value)}
    )


def to_list(value: object) -> object:
    """A single item where a list is expected becomes a one-item list."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [value]
    return value


def _strip_and_require(value: object) -> object:
    value = to_text(value)
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("text_empty", "must not be empty")
    return value


Text = Annotated[str, BeforeValidator(to_text)]
NonEmptyText = Annotated[str, BeforeValidator(_strip_and_require)]
Number = Annotated[float, BeforeValidator(to_number)]
Int = Annotated[int, BeforeValidator(to_int)]
Bool = Annotated[bool, BeforeValidator(to_bool)]
SLUG_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
Slug = Annotated[str, BeforeValidator(to_text), StringConstraints(pattern=SLUG_PATTERN)]
