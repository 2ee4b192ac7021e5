"""After each answer the learner sees its rating and when it comes back; `u` takes an answer
back (review deleted, card restored); a fast right answer is Easy only when that is on."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import FIXTURE_ARGS, run_cli
from normquiz.progress.scheduler import AGAIN, GOOD
from normquiz.progress.store import ProgressStore
from normquiz.quiz.render import interval_text

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TRUE_FALSE = ("quiz", *FIXTURE_ARGS, "--type", "true_false", "-n", "1", "--plain")


def test_undo_deletes_the_review_and_restores_the_card(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=lambda: T0) as store:
        store.record("q-a", GOOD, True)
        before = store.cards()["q-a"]
        later = store.record("q-a", AGAIN, False, when=T0 + timedelta(days=3))
        assert store.cards()["q-a"].due != before.due
        assert store.undo(later.review_id) == before
        assert store.cards()["q-a"] == before
        assert [r.rating for r in store.reviews("q-a")] == [GOOD]
        first = store.reviews("q-a")
        assert store.undo(1) is None and "q-a" not in store.cards() and first


def test_u_in_plain_mode_takes_the_answer_back_and_asks_again(isolated_home: Path) -> None:
    result = run_cli(*TRUE_FALSE, "--json", input="f\nu\nt\n\n")
    assert "undone: fx-bn-one-sample was deleted" in result.stderr
    [item] = json.loads(result.stdout)["items"]
    assert item["response"] is True and item["correct"]
    with ProgressStore.open(isolated_home) as store:
        assert [(r.item_id, r.correct) for r in store.reviews()] == [("fx-bn-one-sample", True)]


def test_the_next_review_message_matches_the_fsrs_card(isolated_home: Path) -> None:
    result = run_cli(*TRUE_FALSE, input="t\n")
    shown = re.search(r"(Again|Hard|Good|Easy)[^\n]* · next in ([^\n]+)", result.stdout)
    assert shown, result.stdout
    with ProgressStore.open(isolated_home) as store:
        card = store.cards()["fx-bn-one-sample"]
        [review] = store.reviews()
    assert card.last_review is not None
    assert shown.group(2) == interval_text(card.due - card.last_review)
    assert shown.group(1) == {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}[review.rating]


def test_auto_easy_is_visible_and_can_be_turned_off(isolated_home: Path) -> None:
    fast = run_cli(*TRUE_FALSE, input="t\n")
    assert "Easy (right within 6 s; --no-auto-easy turns this off) · next in" in fast.stdout
    good = run_cli(*TRUE_FALSE, "--no-auto-easy", "--json", input="t\n")
    assert json.loads(good.stdout)["items"][0]["rating"] == GOOD


def test_interval_text_uses_the_natural_unit() -> None:
    assert interval_text(timedelta(seconds=20)) == "1 minute"
    assert interval_text(timedelta(minutes=10)) == "10 minutes"
    assert interval_text(timedelta(hours=5, minutes=10)) == "5 hours"
    assert interval_text(timedelta(days=3, hours=1)) == "3 days"
