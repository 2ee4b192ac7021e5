"""Schema migrations, applied in order; ``PRAGMA user_version`` counts those applied.

Append new migrations; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
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
]
