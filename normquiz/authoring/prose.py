"""Checks of the Markdown an author writes: what a reader would see differently from what
was meant."""

from __future__ import annotations

import re
from collections.abc import Iterator

from normquiz.bank.drill_schema import Drill
from normquiz.bank.schema import Question

# `**` touching a word or number on both sides, outside code: Markdown reads it as bold
POWER = re.compile(r"[0-9A-Za-z_)\]]\*\*[0-9A-Za-z_(]")
CODE = re.compile(r"```.*?```|`[^`]*`", re.S)


def prose_problems(item: Question | Drill) -> list[tuple[str, str]]:
    """A power written with ``**`` in prose, which Markdown would render as bold."""
    found = []
    for field, text in _texts(item):
        match = POWER.search(CODE.sub("", text))
        if match:
            found.append(
                (
                    field,
                    f"'{match.group(0)}' outside code is read as bold by Markdown: write the "
                    "power in a code span (`0.9**50`) or with a superscript (0.9⁵⁰)",
                )
            )
    return found


def _texts(item: Question | Drill) -> Iterator[tuple[str, str]]:
    """Every text a learner reads, with the field it comes from."""
    for name in ("prompt", "explanation", "myth", "model_answer"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            yield name, value
    for index, choice in enumerate(getattr(item, "choices", None) or []):
        yield f"choices[{index}]", choice.text
        if choice.feedback:
            yield f"choices[{index}].feedback", choice.feedback
    for index, hint in enumerate(getattr(item, "hints", None) or []):
        yield f"hints[{index}]", hint
    for index, mistake in enumerate(getattr(item, "mistakes", None) or []):
        yield f"mistakes[{index}].explanation", mistake.explanation
