"""Selecting questions and drills by topic, tag and type."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from normquiz.bank.drill_schema import Drill
from normquiz.bank.schema import Question
from normquiz.exceptions import UsageError

Item = TypeVar("Item", bound=Question | Drill)


def select(
    items: Iterable[Item],
    topics: Sequence[str] = (),
    tags: Sequence[str] = (),
    types: Sequence[str] = (),
) -> list[Item]:
    """Items matching any given topic, any given tag and any given type; a usage error for a
    topic or tag that no item has (a typo, most likely)."""
    items = list(items)
    check_filters(items, topics, tags)
    return [
        item
        for item in items
        if (not topics or item.topic in topics)
        and (not tags or any(tag in item.tags for tag in tags))
        and (not types or item.type in types)
    ]


def check_filters(items: Sequence[Item], topics: Sequence[str], tags: Sequence[str]) -> None:
    """A usage error naming the first topic or tag no item has, with the closest ones (and
    every topic). Nothing to check against in an empty bank."""
    if not items:
        return
    known_topics = sorted({item.topic for item in items})
    for topic in topics:
        if topic not in known_topics:
            raise UsageError(
                f"unknown topic {topic!r}{did_you_mean(topic, known_topics)} "
                f"(topics: {', '.join(known_topics)})"
            )
    known_tags = {tag for item in items for tag in item.tags}
    for tag in tags:
        if tag not in known_tags:
            raise UsageError(
                f"unknown tag {tag!r}{did_you_mean(tag, known_tags)} "
                "(`normquiz list` shows every item's tags)"
            )


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """'; did you mean a, b?' with the known words closest to ``word``, or ''."""
    close = difflib.get_close_matches(word, sorted(set(known)), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""


@dataclass(frozen=True)
class ItemSummary:
    """What `list` shows for a question or a drill."""

    id: str
    kind: str
    type: str
    topic: str
    tags: tuple[str, ...]
    difficulty: int

    @classmethod
    def of(cls, item: Question | Drill) -> ItemSummary:
        return cls(item.id, item.kind, item.type, item.topic, tuple(item.tags), item.difficulty)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "type": self.type,
            "topic": self.topic,
            "tags": list(self.tags),
            "difficulty": self.difficulty,
        }
