"""Schema migrations, applied in order; ``PRAGMA user_version`` counts those applied.

A migration is SQL, or a function of the open connection for what SQL cannot do alone.
Append new migrations; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

from normquiz.progress import scheduler as fsrs_
from normquiz.progress.replay import rebuild_card
from normquiz.progress.sittings import SITTING_GAP

Migration = str | Callable[[sqlite3.Connection], None]


def collapse_drill_sittings(db: sqlite3.Connection) -> None:
    """Older versions wrote a review per drill check (every save in watch). Keep each
    sitting's first row, upgraded to a pass when a later check in it passed; keep every
    original row in ``raw_drill_reviews``; rebuild the drills' FSRS cards."""
    db.execute("INSERT INTO raw_drill_reviews SELECT * FROM reviews WHERE kind = 'drill'")
    rows = db.execute(
        "SELECT review_id, item_id, reviewed_at, correct FROM reviews WHERE kind = 'drill' "
        "ORDER BY item_id, reviewed_at, review_id"
    ).fetchall()
    sittings: list[list[tuple[int, str, str, int]]] = []
    for row in rows:
        last = sittings[-1][-1] if sittings else None
        if last and last[1] == row[1] and _gap(last[2], row[2]) < SITTING_GAP:
            sittings[-1].append(row)
        else:
            sittings.append([row])
    for sitting in sittings:
        _collapse(db, sitting)
    scheduler = fsrs_.make_scheduler()
    for (item_id,) in db.execute("SELECT DISTINCT item_id FROM raw_drill_reviews").fetchall():
        rebuild_card(db, scheduler, item_id)


def _gap(earlier: str, later: str) -> timedelta:
    return datetime.fromisoformat(later) - datetime.fromisoformat(earlier)


def _collapse(db: sqlite3.Connection, sitting: list[tuple[int, str, str, int]]) -> None:
    first, later = sitting[0], sitting[1:]
    passed = first[3] or any(row[3] for row in later)
    db.execute(
        "UPDATE reviews SET last_activity = ?, correct = ?, rating = ? WHERE review_id = ?",
        (sitting[-1][2], int(passed), fsrs_.GOOD if passed else fsrs_.AGAIN, first[0]),
    )
    db.executemany("DELETE FROM reviews WHERE review_id = ?", [(row[0],) for row in later])


MIGRATIONS: list[Migration] = [
    # 1: items with a stable integer card id and their FSRS card; append-only reviews.
    """
    CREATE TABLE items (
        card_id    INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id    TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL DEFAULT 'question',
        card_json  TEXT NOT NULL,
        due        TEXT NOT NULL
    );
    CREATE INDEX items_due ON items(due);
    CREATE TABLE reviews (
        review_id   INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id     TEXT NOT NULL,
        kind        TEXT NOT NULL DEFAULT 'question',
        reviewed_at TEXT NOT NULL,
        rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        correct     INTEGER NOT NULL CHECK (correct IN (0, 1)),
        response    TEXT,
        duration_ms INTEGER,
        mode        TEXT NOT NULL DEFAULT 'quiz'
    );
    CREATE INDEX reviews_item ON reviews(item_id);
    """,
    # 2: how many hints of each drill the learner has revealed.
    """
    CREATE TABLE hints (
        item_id  TEXT PRIMARY KEY,
        revealed INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 3: a drill review spans a sitting (its last check); hints and solutions shown, with
    # their times, for rating a pass; the raw per-check drill rows migration 4 collapses.
    """
    ALTER TABLE reviews ADD COLUMN last_activity TEXT;
    CREATE TABLE drill_help (
        item_id TEXT NOT NULL,
        what    TEXT NOT NULL CHECK (what IN ('hint', 'solution')),
        seen_at TEXT NOT NULL
    );
    CREATE TABLE raw_drill_reviews AS SELECT * FROM reviews WHERE 0;
    """,
    # 4: one drill review per sitting, cards rebuilt.
    collapse_drill_sittings,
]
