"""The progress store: durable per answer, safe under concurrency, loud when broken."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest

from conftest import REPO, run_cli
from normquiz.bank.loader import load_bank
from normquiz.exceptions import UserDataError
from normquiz.progress.scheduler import AGAIN, EASY, GOOD
from normquiz.progress.store import DB_NAME, ProgressStore
from normquiz.quiz.picking import pick_review

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_record_appends_reviews_and_advances_cards(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=lambda: T0) as store:
        store.record("q-a", GOOD, True, "a", duration_ms=1200)
        card = store.record("q-a", GOOD, True, "a", when=T0 + timedelta(minutes=20)).card
        store.record("q-b", AGAIN, False, 3.0)
        assert [r.item_id for r in store.reviews()] == ["q-a", "q-a", "q-b"]
        assert (
            store.reviews("q-a")[0].duration_ms == 1200 and store.reviews("q-b")[0].response == 3.0
        )
        assert store.cards()["q-a"].due == card.due > T0 + timedelta(days=1)
        assert store.failure_counts() == {"q-b": 1}
    with ProgressStore.open(tmp_path) as again:  # card ids are stable across opens
        assert again.cards()["q-a"].card_id == card.card_id


def test_killed_session_keeps_the_answers_it_gave(isolated_home: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "normquiz", "quiz", "--plain", "--type", "true_false", "-n", "4", "--seed", "1"],
        cwd=str(REPO),
        encoding="utf-8",
        timeout=30,
        env={**os.environ},
    )
    for _ in range(2):
        child.expect(r"answer \(")
        child.sendline("t")
        child.expect("References:")
    child.expect(r"answer \(")  # the third question is waiting: two answers are committed
    child.kill(signal.SIGKILL)
    child.close(force=True)
    assert child.signalstatus == signal.SIGKILL
    with ProgressStore.open(isolated_home) as store:
        assert store.review_count() == 2


WRITER = """
import sys
from pathlib import Path
from normquiz.progress.store import ProgressStore
with ProgressStore.open(Path(sys.argv[1])) as store:
    for i in range(int(sys.argv[3])):
        store.record(f"{sys.argv[2]}-{i % 5}", 3, True, i)
        store.record("shared", 1, False, i)
"""


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), name, "60"],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("left", "right")
    ]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert [w.returncode for w in writers] == [0, 0], errors
    with ProgressStore.open(tmp_path) as store:
        assert store.review_count() == 240
        assert len(store.reviews("shared")) == 120
        cards = store.cards()
        assert len(cards) == 11 and len({c.card_id for c in cards.values()}) == 11


def test_corrupt_database_is_reported_and_left_untouched(isolated_home: Path) -> None:
    db = isolated_home / DB_NAME
    db.write_bytes(b"this is not sqlite" * 100)
    before = db.read_bytes()
    result = run_cli("quiz", "--plain", input="q\n")
    assert result.returncode == 1
    assert str(db) in result.stderr and "unreadable" in result.stderr and "mv " in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    ProgressStore.open(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_NAME) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(UserDataError, match="newer normquiz"):
        ProgressStore.open(tmp_path)


def test_unusable_home_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run_cli("quiz", "--plain", env={"NORMQUIZ_HOME": str(blocker / "home")}, input="q\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot create the data directory" in result.stderr and "NORMQUIZ_HOME" in result.stderr


def _unshare_works() -> bool:
    try:
        return (
            subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10).returncode
            == 0
        )
    except (OSError, subprocess.SubprocessError):
        return False


@pytest.mark.skipif(not _unshare_works(), reason="needs unshare for a private read-only mount")
@pytest.mark.parametrize("with_database", [False, True])
def test_read_only_home_is_a_clear_error(tmp_path: Path, with_database: bool) -> None:
    home = tmp_path / "home"
    home.mkdir()
    if with_database:
        with ProgressStore.open(home) as store:
            store.record("bn-params-conv-64", GOOD, True)
    before = {p.name: p.read_bytes() for p in home.iterdir()}
    script = (
        f"mount --bind {home} {home} && mount -o remount,ro,bind {home} && "
        f"NORMQUIZ_HOME={home} {sys.executable} -m normquiz quiz --plain"
    )
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        input="q\n",
        text=True,
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and str(home) in result.stderr
    assert "writable" in result.stderr
    assert {p.name: p.read_bytes() for p in home.iterdir()} == before


def test_review_order_due_first_then_new_topics_mixed(tmp_path: Path) -> None:
    questions = load_bank(use_env=False).questions
    now = [T0]
    with ProgressStore.open(tmp_path, clock=lambda: now[0]) as store:
        store.record("bn-params-conv-64", AGAIN, False)  # due in minutes
        store.record("ln-params-512", GOOD, True)  # due in 10 minutes
        store.record("rms-params-4096", EASY, True)  # due in days
        now[0] = T0 + timedelta(hours=1)
        order = pick_review(questions, store.cards(), now[0], count=None, seed=0)
    ids = [q.id for q in order]
    assert ids[:2] == ["bn-params-conv-64", "ln-params-512"]
    assert "rms-params-4096" not in ids
    new_topics = [q.topic for q in order[2:8]]
    assert len(set(new_topics)) >= 4  # new questions interleave topics
    assert len(ids) == len(questions) - 1


def test_review_command_records_in_review_mode(isolated_home: Path) -> None:
    result = run_cli("review", "-n", "2", "--plain", "--json", "--seed", "0", input="s\nq\n")
    assert result.returncode == 0 and json.loads(result.stdout)["answered"] == 0
    # the header names the type; the id waits for the feedback
    asked = [
        line.split("(", 1)[1].split(",")[0]
        for line in result.stderr.splitlines()
        if line.startswith("[")
    ]
    assert len(asked) == 2
    valid = {
        "single choice": "a\n",
        "multiple choice": "a\n",
        "true/false": "t\n",
        "numeric": "1\n",
        "short answer": "some words\n.\n\n",
    }[asked[0]]
    answered = run_cli("review", "-n", "1", "--plain", "--json", "--seed", "0", input=valid)
    assert json.loads(answered.stdout)["answered"] == 1
    with ProgressStore.open(isolated_home) as store:
        assert [r.mode for r in store.reviews()] == ["review"]


def test_a_version_1_database_migrates_to_the_current_schema(tmp_path: Path) -> None:
    """A database written before hints existed (schema 1) opens, keeps every row and card,
    and gains what later migrations add."""
    from fsrs import Card

    from normquiz.progress.migrations import MIGRATIONS

    path = tmp_path / DB_NAME
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    card = Card(card_id=1, due=T0)
    db.execute(
        "INSERT INTO items (item_id, kind, card_json, due) VALUES (?, ?, ?, ?)",
        ("q-old", "question", card.to_json(), T0.isoformat()),
    )
    db.execute(
        "INSERT INTO reviews (item_id, kind, reviewed_at, rating, correct, response, "
        "duration_ms, mode) VALUES ('q-old', 'question', ?, 3, 1, '\"a\"', 900, 'quiz')",
        (T0.isoformat(),),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with ProgressStore.open(tmp_path, clock=lambda: T0) as store:
        assert [(r.item_id, r.rating, r.response, r.duration_ms) for r in store.reviews()] == [
            ("q-old", GOOD, "a", 900)
        ]
        assert store.cards()["q-old"].card_id == 1
        assert store.reveal_hint("bn-forward", 3) == 1  # the hints table of migration 2
        store.record("q-old", GOOD, True, "a", when=T0 + timedelta(days=1))
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == len(MIGRATIONS) >= 2
