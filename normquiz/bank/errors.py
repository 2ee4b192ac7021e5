"""Turn pydantic validation errors into located, author-friendly problems."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from normquiz.bank.schema import QUESTION_TYPES, REFERENCE_TAGS, AuthorModel
from normquiz.bank.yaml_source import PathKey, YamlDocument
from normquiz.exceptions import Problem


def _all_field_names() -> set[str]:
    names: set[str] = set()
    pending: list[type[AuthorModel]] = list(AuthorModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        names.update(model.model_fields)
    return names


def field_label(loc: PathKey) -> str:
    """('choices', 2, 'text') -> 'choices[2].text'."""
    label = ""
    for part in loc:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label


def _strip_union_tags(loc: tuple[str | int, ...]) -> PathKey:
    """Drop the tag pydantic inserts after references[i] ('paper' / 'doc')."""
    kept: list[str | int] = []
    for part in loc:
        inside_reference = len(kept) >= 2 and kept[-2] == "references" and isinstance(kept[-1], int)
        if inside_reference and part in REFERENCE_TAGS:
            continue
        if isinstance(part, str) and part.startswith("<"):  # a drill field's union tag
            continue
        kept.append(part)
    return tuple(kept)


def unknown_field_message(name: str, known: set[str] | None = None) -> str:
    close = difflib.get_close_matches(name, sorted(known or _all_field_names()), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field '{name}'{hint}"


def _message(error: ErrorDetails) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        return unknown_field_message(str(loc[-1]))
    if kind == "string_pattern_mismatch":
        return (
            f"expected a lowercase slug of letters, digits and '-' (like bn-params-2d), "
            f"got {error['input']!r}"
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields, got {_kind_of(error['input'])}"
    if kind == "list_type":
        return f"expected a list, got {_kind_of(error['input'])}"
    if kind == "greater_than_equal":
        return f"must be at least {error['ctx']['ge']}, got {_short_repr(error['input'])}"
    if kind == "less_than_equal":
        return f"must be at most {error['ctx']['le']}, got {_short_repr(error['input'])}"
    if kind == "too_long":
        context = error["ctx"]
        return f"allows at most {context['max_length']} item(s), got {context['actual_length']}"
    if kind == "too_short":
        return f"needs at least {error['ctx']['min_length']} item(s), got {len(error['input'])}"
    message = str(error["msg"])
    return message[0].lower() + message[1:]


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return _short_repr(value)


def _short_repr(value: object) -> str:
    text = str(getattr(value, "source", None) or repr(value))
    return text if len(text) <= 60 else text[:57] + "..."


def validation_problems(
    error: ValidationError, doc: YamlDocument, base: PathKey, question_id: str | None
) -> Iterator[Problem]:
    """One Problem per pydantic error, located at the deepest existing YAML path."""
    for item in error.errors(include_url=False):
        loc = _strip_union_tags(item["loc"])
        line, column = doc.locate(base + loc)
        yield Problem(doc.file, line, column, _message(item), question_id, field_label(loc) or None)


def unknown_type_message(value: object) -> str:
    names = ", ".join(QUESTION_TYPES)
    if value is None:
        return f"missing `type`; expected one of {names}"
    close = difflib.get_close_matches(str(value), list(QUESTION_TYPES), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown question type {_short_repr(value)}{hint}; expected one of {names}"
