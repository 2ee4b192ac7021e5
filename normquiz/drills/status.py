"""Where the learner stands on each drill: pending, attempted or done."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.exceptions import UsageError
from normquiz.progress.store import ProgressStore

DrillState = Literal["pending", "attempted", "done"]


@dataclass(frozen=True)
class DrillStatus:
    id: str
    title: str
    topic: str
    difficulty: int
    status: DrillState

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "topic": self.topic,
            "difficulty": self.difficulty,
            "status": self.status,
        }


def drill_statuses(bank: Bank, store: ProgressStore | None = None) -> list[DrillStatus]:
    """Every drill of the bank, in manifest order, with the learner's status (read from
    ``store`` when the caller has one open, else from the learner's own store)."""
    if store is None:
        with ProgressStore.open() as opened:
            return drill_statuses(bank, opened)
    known = store.drill_status()
    return [_status(drill, known.get(drill.id, "pending")) for drill in bank.drills.values()]


def _status(drill: Drill, state: str) -> DrillStatus:
    checked: DrillState = (
        "done" if state == "done" else "attempted" if state == "attempted" else "pending"
    )
    return DrillStatus(drill.id, drill.title, drill.topic, drill.difficulty, checked)


def first_open(bank: Bank) -> Drill:
    """The first drill not done yet (the first drill when all are done)."""
    rows = drill_statuses(bank)
    if not rows:
        raise UsageError("the loaded banks have no drills")
    chosen = next((row.id for row in rows if row.status != "done"), rows[0].id)
    return bank.drills[chosen]


def has_passed(drill_id: str) -> bool:
    with ProgressStore.open() as store:
        return store.drill_status().get(drill_id) == "done"


def due_drills(bank: Bank, store: ProgressStore) -> list[Drill]:
    """The drills whose review is due now, most overdue first."""
    cards, now = store.cards(), store.clock()
    due = [(cards[d].due, d) for d in bank.drills if d in cards and cards[d].due <= now]
    return [bank.drills[drill_id] for _, drill_id in sorted(due)]
