"""Selecting questions and drills by topic, tag and type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from normquiz.bank.drill_schema import Drill
from normquiz.bank.schema import Question

Item = TypeVar("Item", bound=Question | Drill)


def select(
    items: Iterable[Item],
    topics: Sequence[str] = (),
    tags: Sequence[str] = (),
    types: Sequence[str] = (),
) -> list[Item]:
    """Items matching any given topic, any given tag and any given type."""
    return [
        item
        for item in items
        if (not topics or item.topic in topics)
        and (not tags or any(tag in item.tags for tag in tags))
        and (not types or item.type in types)
    ]


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
