"""Rebuilding an item's FSRS card from its review history (after an undo, an upgraded
drill sitting, or a migration that rewrote the history)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from fsrs import Card, Scheduler

from normquiz.progress import scheduler as fsrs_


def replay(scheduler: Scheduler, card_id: int, reviews: list[tuple[str, int, int | None]]) -> Card:
    """The card after ``reviews`` ((ISO time, rating, duration_ms), oldest first; at least one)."""
    times = [datetime.fromisoformat(when) for when, _, _ in reviews]
    card = fsrs_.new_card(card_id, times[0])
    for when, (_, rating, duration) in zip(times, reviews, strict=True):
        card = fsrs_.review(scheduler, card, rating, when, duration)
    return card


def rebuild_card(db: sqlite3.Connection, scheduler: Scheduler, item_id: str) -> Card | None:
    """Replay ``item_id``'s reviews into its card row; no reviews left: the row goes too."""
    row = db.execute("SELECT card_id FROM items WHERE item_id = ?", (item_id,)).fetchone()
    reviews = db.execute(
        "SELECT reviewed_at, rating, duration_ms FROM reviews WHERE item_id = ? "
        "ORDER BY reviewed_at, review_id",
        (item_id,),
    ).fetchall()
    if row is None:
        return None
    if not reviews:
        db.execute("DELETE FROM items WHERE item_id = ?", (item_id,))
        return None
    card = replay(scheduler, row[0], reviews)
    db.execute(
        "UPDATE items SET card_json = ?, due = ? WHERE item_id = ?",
        (card.to_json(), fsrs_.iso(card.due), item_id),
    )
    return card
