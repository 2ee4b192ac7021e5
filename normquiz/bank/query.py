"""Selecting questions by topic, tag and type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from normquiz.bank.schema import Question


def select(questions: Iterable[Question], topics: Sequence[str] = (), tags: Sequence[str] = (),
           types: Sequence[str] = ()) -> list[Question]:
    """Questions matching any given topic, any given tag and any given type."""
    return [
        q for q in questions
        if (not topics or q.topic in topics)
        and (not tags or any(tag in q.tags for tag in tags))
        and (not types or q.type in types)
    ]


def summary_row(question: Question) -> dict[str, object]:
    """The fields `list --json` shows for a question or a drill."""
    return {
        "id": question.id,
        "kind": question.kind,
        "type": question.type,
        "topic": question.topic,
        "tags": list(question.tags),
        "difficulty": question.difficulty,
    }
