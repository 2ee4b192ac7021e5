"""After each answer the learner sees its rating and when it comes back; `u` takes an answer
back (review deleted, card restored); a fast right answer is Easy only when that is on."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import FIXTURE_ARGS, make_drill_due, run_cli
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
    again = ("--id", "fx-bn-one-sample", "--no-auto-easy", "--json")
    good = run_cli(*TRUE_FALSE, *again, input="t\n")
    assert json.loads(good.stdout)["items"][0]["rating"] == GOOD


def test_interval_text_uses_the_natural_unit() -> None:
    assert interval_text(timedelta(seconds=20)) == "1 minute"
    assert interval_text(timedelta(minutes=10)) == "10 minutes"
    assert interval_text(timedelta(hours=5, minutes=10)) == "5 hours"
    assert interval_text(timedelta(days=3, hours=1)) == "3 days"


def test_quiz_missed_asks_only_what_was_last_answered_wrong(isolated_home: Path) -> None:
    both = ("quiz", *FIXTURE_ARGS, "--id", "fx-bn-one-sample", "--id", "fx-bn-params")
    first = run_cli(*both, "--plain", "--json", input="f\n128\n")  # true/false wrong
    assert sorted((i["id"], i["correct"]) for i in json.loads(first.stdout)["items"]) == [
        ("fx-bn-one-sample", False),
        ("fx-bn-params", True),
    ]
    missed = run_cli("quiz", *FIXTURE_ARGS, "--missed", "--plain", "--json", input="t\n")
    assert [i["id"] for i in json.loads(missed.stdout)["items"]] == ["fx-bn-one-sample"]
    again = run_cli("quiz", *FIXTURE_ARGS, "--missed", "--plain", input="")
    assert again.returncode == 1 and "nothing missed" in again.stderr


def test_a_quiz_does_not_repeat_what_was_answered_within_the_hour(isolated_home: Path) -> None:
    run_cli(*TRUE_FALSE, input="t\n")
    repeat = run_cli(*TRUE_FALSE, input="t\n")
    assert repeat.returncode == 1 and "answered in the last hour" in repeat.stderr
    by_id = run_cli("quiz", *FIXTURE_ARGS, "--id", "fx-bn-one-sample", "--plain", input="t\n")
    assert by_id.returncode == 0 and "Right" in by_id.stdout


def test_quiz_id_names_unknown_ids_and_drills(isolated_home: Path) -> None:
    unknown = run_cli("quiz", "--id", "no-such-q", "--plain", input="")
    assert unknown.returncode == 2 and "no question with id 'no-such-q'" in unknown.stderr
    drill = run_cli("quiz", "--id", "bn-forward", "--plain", input="")
    assert "bn-forward is a drill" in drill.stderr and "normquiz drill bn-forward" in drill.stderr


def test_retry_missed_asks_the_missed_questions_once_more(isolated_home: Path) -> None:
    result = run_cli(*TRUE_FALSE, "--retry-missed", "--json", input="f\n\nt\n")
    data = json.loads(result.stdout)
    assert [i["correct"] for i in data["items"]] == [False]
    assert [(i["id"], i["correct"], i["rating"]) for i in data["retry"]["items"]] == [
        ("fx-bn-one-sample", True, GOOD)  # the answer was just shown: never Easy
    ]


def test_quiz_order_due_then_unseen_then_weakest(tmp_path: Path) -> None:
    from normquiz.bank.loader import load_bank
    from normquiz.quiz.start import SessionRequest, choose

    bank = load_bank(use_env=False)
    now = [T0]
    with ProgressStore.open(tmp_path, clock=lambda: now[0]) as store:
        store.record("bn-params-conv-64", GOOD, True)  # due in about 10 minutes
        store.record("ln-params-512", AGAIN, False)  # due in a minute
        now[0] = T0 + timedelta(hours=2)
        store.record("rms-params-4096", GOOD, True)  # answered just now: not asked
        pool = ("bn-params-conv-64", "ln-params-512", "rms-params-4096", "bn-eps-role")
        request = SessionRequest(count=None, tags=(), topics=(), types=())
        chosen = [q.id for q in choose(request, store, bank) if q.id in pool]
    assert chosen == ["ln-params-512", "bn-params-conv-64", "bn-eps-role"]


def test_review_lists_due_drills_with_the_command_in_plain_mode(isolated_home: Path) -> None:
    make_drill_due(isolated_home)
    result = run_cli("review", "--plain", "-n", "1", "--json", input="s\n")
    assert "Drill due: bn-forward" in result.stderr
    assert "run `normquiz watch bn-forward`" in result.stderr
    assert json.loads(result.stdout)["drills_due"] == ["bn-forward"]
