"""Drill checks as spaced-repetition reviews: one review per drill per sitting.

A sitting on a drill is a run of checks with no pause longer than ``SITTING_GAP``. Its first
verdict is recorded; a later pass in the same sitting upgrades a failed first verdict. A
pass is rated Good, Hard when a hint was revealed since the previous sitting, Again when the
solution was shown since then; a fail is Again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from fsrs import Card, Scheduler

from normquiz.progress import scheduler as fsrs_
from normquiz.progress.replay import rebuild_card

SITTING_GAP = timedelta(minutes=30)
Change = Literal["new", "upgraded", "unchanged"]


@dataclass(frozen=True)
class DrillCheck:
    """One check of a drill, as the grader saw it."""

    drill_id: str
    passed: bool
    response: object
    duration_ms: int | None
    when: datetime


@dataclass(frozen=True)
class DrillRecord:
    """What recording a check did to the drill's review history."""

    change: Change
    rating: int
    correct: bool
    card: Card | None


@dataclass(frozen=True)
class _LastSitting:
    review_id: int
    started: datetime
    last_activity: datetime
    correct: bool
    rating: int


def record_check(db: sqlite3.Connection, scheduler: Scheduler, check: DrillCheck) -> DrillRecord:
    """Record ``check`` inside the caller's transaction."""
    last = _last_sitting(db, check.drill_id)
    if last is not None and check.when - last.last_activity < SITTING_GAP:
        return _join(db, scheduler, check, last)
    since = last.last_activity if last else None
    rating = pass_rating(db, check.drill_id, since) if check.passed else fsrs_.AGAIN
    db.execute(
        "INSERT INTO reviews (item_id, kind, reviewed_at, rating, correct, response, "
        "duration_ms, mode, last_activity) VALUES (?, 'drill', ?, ?, ?, ?, ?, 'check', ?)",
        (
            check.drill_id,
            fsrs_.iso(check.when),
            rating,
            int(check.passed),
            json.dumps(check.response),
            check.duration_ms,
            fsrs_.iso(check.when),
        ),
    )
    _ensure_item(db, check.drill_id, check.when)
    return DrillRecord("new", rating, check.passed, rebuild_card(db, scheduler, check.drill_id))


def _join(
    db: sqlite3.Connection, scheduler: Scheduler, check: DrillCheck, last: _LastSitting
) -> DrillRecord:
    """A check in the sitting ``last``: extend it, and upgrade a failed first verdict."""
    db.execute(
        "UPDATE reviews SET last_activity = ? WHERE review_id = ?",
        (fsrs_.iso(max(check.when, last.last_activity)), last.review_id),
    )
    if not check.passed or last.correct:
        return DrillRecord("unchanged", last.rating, last.correct, None)
    rating = pass_rating(db, check.drill_id, _previous_end(db, check.drill_id, last.review_id))
    db.execute(
        "UPDATE reviews SET rating = ?, correct = 1, response = ? WHERE review_id = ?",
        (rating, json.dumps(check.response), last.review_id),
    )
    return DrillRecord("upgraded", rating, True, rebuild_card(db, scheduler, check.drill_id))


def pass_rating(db: sqlite3.Connection, drill_id: str, since: datetime | None) -> int:
    """Good; Hard after a hint since ``since``; Again after the solution was shown."""
    rows = db.execute(
        "SELECT what FROM drill_help WHERE item_id = ? AND seen_at > ?",
        (drill_id, fsrs_.iso(since) if since else ""),
    ).fetchall()
    seen = {what for (what,) in rows}
    if "solution" in seen:
        return fsrs_.AGAIN
    return fsrs_.HARD if "hint" in seen else fsrs_.GOOD


def _last_sitting(db: sqlite3.Connection, drill_id: str) -> _LastSitting | None:
    row = db.execute(
        "SELECT review_id, reviewed_at, COALESCE(last_activity, reviewed_at), correct, rating "
        "FROM reviews WHERE item_id = ? AND kind = 'drill' ORDER BY review_id DESC LIMIT 1",
        (drill_id,),
    ).fetchone()
    if row is None:
        return None
    started, last_activity = (datetime.fromisoformat(t) for t in row[1:3])
    return _LastSitting(row[0], started, last_activity, bool(row[3]), row[4])


def _previous_end(db: sqlite3.Connection, drill_id: str, review_id: int) -> datetime | None:
    row = db.execute(
        "SELECT COALESCE(last_activity, reviewed_at) FROM reviews WHERE item_id = ? "
        "AND kind = 'drill' AND review_id < ? ORDER BY review_id DESC LIMIT 1",
        (drill_id, review_id),
    ).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def _ensure_item(db: sqlite3.Connection, item_id: str, when: datetime) -> None:
    db.execute(
        "INSERT INTO items (item_id, kind, card_json, due) VALUES (?, 'drill', '', ?) "
        "ON CONFLICT(item_id) DO NOTHING",
        (item_id, fsrs_.iso(when)),
    )


def note_help(db: sqlite3.Connection, drill_id: str, what: str, when: datetime) -> None:
    """Remember that a hint or the solution of ``drill_id`` was shown at ``when``."""
    db.execute(
        "INSERT INTO drill_help (item_id, what, seen_at) VALUES (?, ?, ?)",
        (drill_id, what, fsrs_.iso(when)),
    )
