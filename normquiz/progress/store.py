"""The progress store: one SQLite file in the user data directory.

One transaction per answer (a killed process loses at most the answer in flight), WAL and
a busy timeout so two sessions can write at once, and clear errors for a corrupt,
unreadable or read-only database. The database is never replaced or truncated.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fsrs import Card

from normquiz.exceptions import UserDataError
from normquiz.paths import user_home
from normquiz.progress import scheduler as fsrs_
from normquiz.progress.db_errors import INTEGRITY_FAILED, database_error, home_error, not_a_file
from normquiz.progress.migrations import MIGRATIONS
from normquiz.progress.replay import rebuild_card
from normquiz.progress.sittings import DrillCheck, DrillRecord, note_help, record_check

DB_NAME = "progress.sqlite3"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ReviewRow:
    item_id: str
    kind: str
    reviewed_at: datetime
    rating: int
    correct: bool
    response: object
    duration_ms: int | None
    mode: str


@dataclass(frozen=True)
class Recorded:
    """A saved review and the item's card after it."""

    review_id: int
    card: Card


@dataclass(frozen=True)
class LastAnswer:
    when: datetime
    correct: bool


class ProgressStore:
    """Reviews and FSRS cards, keyed by item id (a question or drill id)."""

    def __init__(self, path: Path, clock: Clock = utc_now) -> None:
        self.path = path
        self.clock = clock
        self.scheduler = fsrs_.make_scheduler()
        self._db = _connect(path)
        _migrate(self._db, path)

    @classmethod
    def open(cls, home: Path | None = None, clock: Clock = utc_now) -> ProgressStore:
        """Open (creating if needed) the store under ``home`` (default: the user home)."""
        home = home or user_home()
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise home_error(home, error) from None
        return cls(home / DB_NAME, clock)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(
        self,
        item_id: str,
        rating: int,
        correct: bool,
        response: object = None,
        *,
        kind: str = "question",
        duration_ms: int | None = None,
        mode: str = "quiz",
        when: datetime | None = None,
    ) -> Recorded:
        """Append a review and advance the item's FSRS card, in one transaction."""
        when = when or self.clock()
        with self._write() as db:
            card = self._card_for_update(db, item_id, kind, when)
            card = fsrs_.review(self.scheduler, card, rating, when, duration_ms)
            db.execute(
                "UPDATE items SET card_json = ?, due = ? WHERE item_id = ?",
                (card.to_json(), fsrs_.iso(card.due), item_id),
            )
            inserted = db.execute(
                "INSERT INTO reviews (item_id, kind, reviewed_at, rating, correct, response, "
                "duration_ms, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item_id,
                    kind,
                    fsrs_.iso(when),
                    rating,
                    int(correct),
                    json.dumps(response),
                    duration_ms,
                    mode,
                ),
            )
        return Recorded(inserted.lastrowid or 0, card)

    def undo(self, review_id: int) -> Card | None:
        """Delete one review and restore its item's card from the rest of the history, in
        one transaction; the card, or None when no review of the item is left."""
        with self._write() as db:
            row = db.execute(
                "SELECT item_id FROM reviews WHERE review_id = ?", (review_id,)
            ).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM reviews WHERE review_id = ?", (review_id,))
            return rebuild_card(db, self.scheduler, row[0])

    def record_drill_check(self, check: DrillCheck) -> DrillRecord:
        """Record a drill check as part of its sitting (see ``progress/sittings.py``)."""
        with self._write() as db:
            return record_check(db, self.scheduler, check)

    def note_solution_shown(self, drill_id: str) -> None:
        """The solution of a drill was shown before it was passed: its next pass is Again."""
        with self._write() as db:
            note_help(db, drill_id, "solution", self.clock())

    def _card_for_update(
        self, db: sqlite3.Connection, item_id: str, kind: str, when: datetime
    ) -> Card:
        row = db.execute("SELECT card_json FROM items WHERE item_id = ?", (item_id,)).fetchone()
        if row:
            return Card.from_json(row[0])
        cursor = db.execute(
            "INSERT INTO items (item_id, kind, card_json, due) VALUES (?, ?, '', ?)",
            (item_id, kind, fsrs_.iso(when)),
        )
        if cursor.lastrowid is None:
            raise sqlite3.DatabaseError("the new item got no card id")
        return fsrs_.new_card(cursor.lastrowid, when)

    def cards(self) -> dict[str, Card]:
        """Every item reviewed at least once, with its FSRS card."""
        rows = self._read("SELECT item_id, card_json FROM items WHERE card_json != ''")
        return {item_id: Card.from_json(card_json) for item_id, card_json in rows}

    def reviews(self, item_id: str | None = None) -> list[ReviewRow]:
        query = (
            "SELECT item_id, kind, reviewed_at, rating, correct, response, duration_ms, mode "
            "FROM reviews"
        )
        rows = (
            self._read(query + " WHERE item_id = ? ORDER BY review_id", (item_id,))
            if item_id
            else self._read(query + " ORDER BY review_id")
        )
        return [
            ReviewRow(
                r[0],
                r[1],
                datetime.fromisoformat(r[2]),
                r[3],
                bool(r[4]),
                json.loads(r[5]) if r[5] else None,
                r[6],
                r[7],
            )
            for r in rows
        ]

    def last_answers(self) -> dict[str, LastAnswer]:
        """item -> when it was last answered, and whether that answer was right."""
        rows = self._read(
            "SELECT item_id, reviewed_at, correct FROM reviews r WHERE review_id = "
            "(SELECT MAX(review_id) FROM reviews WHERE item_id = r.item_id)"
        )
        return {
            item_id: LastAnswer(datetime.fromisoformat(when), bool(correct))
            for item_id, when, correct in rows
        }

    def review_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM reviews")[0][0])

    def answer_counts(self) -> dict[str, tuple[int, int]]:
        """item -> (answers, correct answers)."""
        rows = self._read("SELECT item_id, COUNT(*), SUM(correct) FROM reviews GROUP BY item_id")
        return {item_id: (int(n), int(right or 0)) for item_id, n, right in rows}

    def failure_counts(self) -> dict[str, int]:
        rows = self._read(
            "SELECT item_id, COUNT(*) FROM reviews WHERE correct = 0 GROUP BY item_id"
        )
        return {item_id: count for item_id, count in rows}

    def drill_status(self) -> dict[str, str]:
        """drill id -> 'done' (passed once) or 'attempted'; unlisted drills are pending."""
        rows = self._read(
            "SELECT item_id, MAX(correct) FROM reviews WHERE kind = 'drill' GROUP BY item_id"
        )
        return {item_id: "done" if passed else "attempted" for item_id, passed in rows}

    def hints_revealed(self, item_id: str) -> int:
        """How many hints of a drill the learner has revealed."""
        rows = self._read("SELECT revealed FROM hints WHERE item_id = ?", (item_id,))
        return int(rows[0][0]) if rows else 0

    def reveal_hint(self, item_id: str, available: int) -> int:
        """Reveal one more hint (up to ``available``); returns how many are revealed now."""
        with self._write() as db:
            db.execute(
                "INSERT INTO hints (item_id, revealed) VALUES (?, 0) ON CONFLICT DO NOTHING",
                (item_id,),
            )
            db.execute(
                "UPDATE hints SET revealed = MIN(revealed + 1, ?) WHERE item_id = ?",
                (available, item_id),
            )
            note_help(db, item_id, "hint", self.clock())
            return int(
                db.execute("SELECT revealed FROM hints WHERE item_id = ?", (item_id,)).fetchone()[0]
            )

    def _read(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(query, params).fetchall()
        except sqlite3.DatabaseError as error:
            raise _database_error(self.path, error) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; on any failure (a full disk at COMMIT too) it is rolled back."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                _roll_back(self._db)
                raise
        except sqlite3.DatabaseError as error:
            raise _database_error(self.path, error) from None

    def answer_times(self) -> list[tuple[str, datetime]]:
        """(item, when) of every answer (a drill: the start of its sitting), oldest first."""
        rows = self._read("SELECT item_id, reviewed_at FROM reviews ORDER BY review_id")
        return [(item_id, datetime.fromisoformat(when)) for item_id, when in rows]

    def lapse_counts(self) -> dict[str, int]:
        """item -> answers rated Again after its first answer (fsrs cards keep no count)."""
        rows = self._read(
            "SELECT item_id, COUNT(*) FROM reviews r WHERE rating = ? AND review_id > "
            "(SELECT MIN(review_id) FROM reviews WHERE item_id = r.item_id) GROUP BY item_id",
            (fsrs_.AGAIN,),
        )
        return {item_id: int(count) for item_id, count in rows}

    def time_spent_ms(self) -> dict[str, int]:
        """item -> milliseconds: the answer times of a question; for a drill, each sitting
        from its first check to its last, plus the first check's run."""
        rows = self._read(
            "SELECT item_id, COALESCE(duration_ms, 0), reviewed_at, last_activity FROM reviews"
        )
        spent: dict[str, int] = {}
        for item_id, duration, started, last in rows:
            span = datetime.fromisoformat(last) - datetime.fromisoformat(started) if last else None
            extra = round(span.total_seconds() * 1000) if span else 0
            spent[item_id] = spent.get(item_id, 0) + int(duration) + extra
        return spent


def _connect(path: Path, attempts: int = 8) -> sqlite3.Connection:
    """Open in WAL mode. Switching to WAL can report 'locked' without waiting for the busy
    handler while another process opens or closes the file, so that case is retried."""
    if problem := not_a_file(path):  # before SQLite opens it: a FIFO would block
        raise UserDataError(problem)
    for attempt in range(attempts):
        try:
            return _open_wal(path)
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise _database_error(path, error) from None
            time.sleep(0.05 * 2**attempt)
        except sqlite3.DatabaseError as error:
            raise _database_error(path, error) from None
    raise AssertionError("unreachable")


def _open_wal(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=15.0, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 15000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError(INTEGRITY_FAILED)
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    """Apply pending migrations; concurrent openers serialize on the write lock."""
    try:
        db.execute("BEGIN IMMEDIATE")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            db.execute("ROLLBACK")
            raise UserDataError(
                f"{path} was written by a newer normquiz (schema {version}); "
                "upgrade normquiz to use it."
            )
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            if callable(migration):
                migration(db)
            else:
                for statement in filter(str.strip, migration.split(";")):
                    db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        _roll_back(db)
        raise _database_error(path, error) from None


def _roll_back(db: sqlite3.Connection) -> None:
    """End a failed transaction, if SQLite has not already (it does after some full-disk
    and I/O errors); a failure to roll back changes nothing the caller reports."""
    if db.in_transaction:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")


def _database_error(path: Path, error: sqlite3.Error) -> UserDataError:
    """Disk full, the size limit, a non-file, read-only or corrupt: see ``db_errors``."""
    return database_error(path, error)
