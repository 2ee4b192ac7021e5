"""Drill checks are reviews per sitting, not per save; old per-save histories are collapsed
by a migration. Every test runs on a fixed clock."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from normquiz.progress.migrations import MIGRATIONS
from normquiz.progress.replay import replay
from normquiz.progress.scheduler import AGAIN, GOOD, HARD, make_scheduler
from normquiz.progress.sittings import SITTING_GAP, DrillCheck
from normquiz.progress.store import DB_NAME, ProgressStore

START = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock):
    with ProgressStore.open(tmp_path, clock) as opened:
        yield opened


def check(store: ProgressStore, clock: Clock, passed: bool, after_minutes: float = 2) -> None:
    clock.now += timedelta(minutes=after_minutes)
    store.record_drill_check(DrillCheck("bn-forward", passed, {}, 100, clock.now))


def rows(store: ProgressStore) -> list[tuple[bool, int]]:
    return [(r.correct, r.rating) for r in store.reviews("bn-forward")]


def test_ten_saves_in_one_sitting_are_one_review(store: ProgressStore, clock: Clock) -> None:
    for _ in range(10):
        check(store, clock, passed=False, after_minutes=5)  # 50 minutes, never a 30-min pause
    assert rows(store) == [(False, AGAIN)]
    [review] = store.reviews("bn-forward")
    assert review.reviewed_at == START + timedelta(minutes=5)  # the sitting's first check
    expected = replay(make_scheduler(), 1, [(review.reviewed_at.isoformat(), AGAIN, 100)])
    assert store.cards()["bn-forward"].due == expected.due


def test_a_pass_after_a_fail_in_the_sitting_upgrades_it_to_good(
    store: ProgressStore, clock: Clock
) -> None:
    check(store, clock, passed=False)
    check(store, clock, passed=False)
    check(store, clock, passed=True)
    check(store, clock, passed=False)  # a later fail does not take the pass back
    assert rows(store) == [(True, GOOD)]
    [review] = store.reviews("bn-forward")
    expected = replay(make_scheduler(), 1, [(review.reviewed_at.isoformat(), GOOD, 100)])
    assert store.cards()["bn-forward"].due == expected.due


def test_a_pause_starts_a_new_sitting(store: ProgressStore, clock: Clock) -> None:
    check(store, clock, passed=False)
    check(store, clock, passed=True, after_minutes=SITTING_GAP.total_seconds() / 60 + 1)
    assert rows(store) == [(False, AGAIN), (True, GOOD)]


def test_a_pass_after_a_hint_is_hard_after_the_solution_again(
    store: ProgressStore, clock: Clock
) -> None:
    check(store, clock, passed=False)
    store.reveal_hint("bn-forward", 3)
    check(store, clock, passed=True)
    assert rows(store) == [(True, HARD)]
    clock.now += timedelta(days=2)
    check(store, clock, passed=True)  # the hint was before this sitting: Good
    clock.now += timedelta(days=2)
    store.note_solution_shown("bn-forward")
    check(store, clock, passed=True)
    assert rows(store) == [(True, HARD), (True, GOOD), (True, AGAIN)]


QUESTION_CARD = replay(make_scheduler(), 2, [(START.isoformat(), GOOD, None)]).to_json()


def per_save_database(home: Path) -> Path:
    """A database as version 2 wrote it: a review row for every check."""
    path = home / DB_NAME
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        assert isinstance(script, str)
        db.executescript(script)
    db.execute("PRAGMA user_version = 2")
    saves = [(0, 0), (3, 0), (6, 0), (9, 1), (12, 0), (24 * 60, 0), (24 * 60 + 5, 0)]  # 2 sittings
    for minutes, correct in saves:
        when = (START + timedelta(minutes=minutes)).isoformat()
        db.execute(
            "INSERT INTO reviews (item_id, kind, reviewed_at, rating, correct, response, mode) "
            "VALUES ('bn-forward', 'drill', ?, ?, ?, '{}', 'check')",
            (when, GOOD if correct else AGAIN, correct),
        )
    db.execute(
        "INSERT INTO reviews (item_id, kind, reviewed_at, rating, correct, mode) "
        "VALUES ('bn-eps-role', 'question', ?, 3, 1, 'quiz')",
        (START.isoformat(),),
    )
    db.execute(
        "INSERT INTO items (item_id, kind, card_json, due) VALUES "
        "('bn-forward', 'drill', ?, ''), ('bn-eps-role', 'question', ?, '')",
        (QUESTION_CARD, QUESTION_CARD),
    )
    db.commit()
    db.close()
    return path


def test_the_migration_collapses_per_save_rows_into_sittings(tmp_path: Path, clock: Clock) -> None:
    per_save_database(tmp_path)
    with ProgressStore.open(tmp_path, clock) as store:
        assert rows(store) == [(True, GOOD), (False, AGAIN)]
        first, second = store.reviews("bn-forward")
        assert (first.reviewed_at, second.reviewed_at) == (START, START + timedelta(days=1))
        expected = replay(
            make_scheduler(),
            1,
            [
                (first.reviewed_at.isoformat(), GOOD, None),
                (second.reviewed_at.isoformat(), AGAIN, None),
            ],
        )
        assert store.cards()["bn-forward"].due == expected.due
        assert [r.item_id for r in store.reviews("bn-eps-role")] == ["bn-eps-role"]
    db = sqlite3.connect(tmp_path / DB_NAME)
    assert db.execute("SELECT COUNT(*) FROM raw_drill_reviews").fetchone()[0] == 7
    kept = db.execute("SELECT card_json FROM items WHERE item_id = 'bn-eps-role'").fetchone()
    assert kept == (QUESTION_CARD,)  # questions are untouched
