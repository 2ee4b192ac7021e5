"""The plan to the interview date: kept in the user's directory, today's target and the
forecast on a fixed clock, the dashboard's countdown, and one clear line for bad input."""

from __future__ import annotations

import errno
import json
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Scheduler

from conftest import run_cli, run_normquiz
from normquiz.bank.loader import load_bank
from normquiz.progress import plan as plans
from normquiz.progress.plan import PLAN_NAME, Plan, load_plan, save_plan
from normquiz.progress.scheduler import AGAIN, GOOD
from normquiz.progress.stats import stats_from_store
from normquiz.progress.store import ProgressStore

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # noon UTC: the same day in any zone we set
TODAY = NOW.date()


@dataclass(frozen=True)
class Item:
    id: str
    topic: str = "bn"
    kind: str = "question"


ITEMS = [Item(f"q{n}") for n in range(10)] + [Item("d0", kind="drill"), Item("d1", kind="drill")]


@pytest.fixture
def utc_zone() -> Iterator[None]:
    """The machine's local zone is UTC, so "today" is the UTC day."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch, utc_zone: None) -> None:
    """Every ProgressStore a command opens runs on NOW."""
    opened = ProgressStore.open.__func__  # type: ignore[attr-defined]

    def at_now(cls: type[ProgressStore], home: Path | None = None, clock: object = None):
        return opened(cls, home, lambda: NOW)

    monkeypatch.setattr(ProgressStore, "open", classmethod(at_now))


def yesterday_and_today(store: ProgressStore) -> None:
    """q0-q3 first answered yesterday (so due today); today q0 reviewed, q4 and q5 new."""
    for n in range(4):
        store.record(f"q{n}", GOOD, True, when=NOW - timedelta(days=1, minutes=n))
    store.record("q0", GOOD, True, when=NOW - timedelta(hours=2))
    store.record("q4", AGAIN, False, when=NOW - timedelta(hours=1))
    store.record("q5", GOOD, True, when=NOW - timedelta(minutes=30))


def test_plan_persists_across_processes_and_clear_removes_it(isolated_home: Path) -> None:
    result = run_cli("plan", "2099-01-01")
    assert result.returncode == 0 and "Interview date set: 2099-01-01" in result.stdout
    assert json.loads((isolated_home / PLAN_NAME).read_text()) == {"interview": "2099-01-01"}
    other = run_normquiz("plan", "--json")  # a second process reads the same directory
    assert other.returncode == 0, other.stderr
    shown = json.loads(other.stdout)["plan"]
    assert shown["interview"] == "2099-01-01" and shown["days_left"] > 0
    assert load_plan() == Plan(date(2099, 1, 1))
    cleared = run_cli("plan", "--clear")
    assert cleared.returncode == 0 and "cleared" in cleared.stdout
    assert not (isolated_home / PLAN_NAME).exists() and load_plan() is None
    assert json.loads(run_normquiz("plan", "--json").stdout) == {"format": 1, "plan": None}
    assert "No interview date was set" in run_cli("plan", "--clear").stdout


@pytest.mark.parametrize(
    "args, says",
    [
        (("2001-01-01",), "the interview date 2001-01-01 is in the past"),
        (("2026-13-45",), "does not match the format '%Y-%m-%d'"),
        (("next-friday",), "does not match the format '%Y-%m-%d'"),
        (("2099-01-01", "--clear"), "give a date or --clear, not both"),
    ],
)
def test_bad_plan_dates_are_one_usage_line(isolated_home: Path, args: tuple[str, ...], says: str):
    result = run_cli("plan", *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert says in error and result.stderr.startswith("Usage: normquiz plan")
    assert not (isolated_home / PLAN_NAME).exists()


def test_a_corrupt_plan_file_is_named_and_stats_go_on(isolated_home: Path) -> None:
    path = isolated_home / PLAN_NAME
    path.write_text('{"interview": "soon"}')
    shown = run_cli("plan")
    assert shown.returncode == 1
    assert shown.stderr.strip().splitlines() == [
        f"Error: the plan file {path} is unreadable (expected "
        '{"interview": "YYYY-MM-DD"}); set the date again with `normquiz plan YYYY-MM-DD`, '
        "or remove it with `normquiz plan --clear`"
    ]
    stats = run_cli("stats", "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["plan"] is None
    assert f"warning: the plan file {path} is unreadable" in stats.stderr
    assert run_cli("plan", "2099-01-01").returncode == 0  # setting a date repairs it
    assert load_plan() == Plan(date(2099, 1, 1))


def test_an_unwritable_home_is_one_line_and_leaves_no_temporary_file(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(plans.os, "replace", refuse)
    result = run_cli("plan", "2099-01-01")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot write the plan file {isolated_home / PLAN_NAME}: Permission denied. "
        "Make its directory writable, or set NORMQUIZ_HOME to a writable directory."
    ]
    assert list(isolated_home.iterdir()) == []


def test_a_home_that_cannot_be_a_directory_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("NORMQUIZ_HOME", str(tmp_path / "file" / "home"))
    result = run_cli("plan", "2099-01-01")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot write the plan file {tmp_path / 'file' / 'home'}/")
    assert "set NORMQUIZ_HOME to a writable directory" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_home_is_one_line(isolated_home: Path) -> None:
    isolated_home.chmod(0o500)
    try:
        result = run_cli("plan", "2099-01-01")
    finally:
        isolated_home.chmod(0o700)
    assert result.returncode == 1 and "cannot write the plan file" in result.stderr


def test_todays_target_and_forecast_on_a_fixed_clock(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=lambda: NOW) as store:
        yesterday_and_today(store)
        cards = store.cards()
        status = stats_from_store(store, ITEMS, plan=Plan(TODAY + timedelta(days=5)), tz=UTC).plan
    assert status is not None and status.target is not None
    assert status.days_left == 5
    # reviews: q0 done today, q1-q3 (first seen yesterday) due before the end of today
    assert (status.target.reviews, status.target.reviews_done) == (4, 1)
    # new: 12 items - 4 seen before today = 8 unseen at the start of today, over 5 days
    assert (status.target.new, status.target.new_done) == (math.ceil(8 / 5), 2)
    assert not status.target.met and status.target.left == 3
    fsrs = Scheduler(enable_fuzzing=False)
    interview = datetime(2026, 12, 11, 12, tzinfo=UTC)  # noon of the interview day
    expected = sum(fsrs.get_card_retrievability(c, interview) for c in cards.values()) / 12
    assert status.forecast == pytest.approx(expected)
    assert [day for day, _ in status.curve] == [TODAY + timedelta(days=n) for n in range(6)]
    readiness = [r for _, r in status.curve]
    assert readiness[0] == pytest.approx(status.readiness) and readiness[-1] == status.forecast
    assert readiness == sorted(readiness, reverse=True) and readiness[0] > readiness[-1]


def test_the_target_is_met_once_the_due_reviews_and_new_items_are_done(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=lambda: NOW) as store:
        yesterday_and_today(store)
        for item in ("q1", "q2", "q3"):
            store.record(item, GOOD, True)
        status = stats_from_store(store, ITEMS, plan=Plan(TODAY + timedelta(days=5)), tz=UTC).plan
    assert status is not None and status.target is not None
    assert (status.target.reviews_done, status.target.reviews, status.target.met) == (4, 4, True)


def test_a_long_plan_draws_at_most_sixty_days_and_a_past_one_no_target(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=lambda: NOW) as store:
        yesterday_and_today(store)
        far = stats_from_store(store, ITEMS, plan=Plan(TODAY + timedelta(days=400)), tz=UTC).plan
        past = stats_from_store(store, ITEMS, plan=Plan(TODAY - timedelta(days=1)), tz=UTC).plan
    assert far is not None and len(far.curve) == plans.MAX_POINTS
    assert far.curve[0][0] == TODAY and far.curve[-1][0] == TODAY + timedelta(days=400)
    assert past is not None and past.target is None and past.curve == ()


def test_the_dashboard_shows_days_left_and_todays_target(
    fixed_clock: None, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from normquiz.cli.dashboard import show_dashboard

    bank = load_bank(use_env=False)
    total = len(bank.questions) + len(bank.drills)
    save_plan(Plan(TODAY + timedelta(days=10)))
    questions = [q.id for q in bank.questions][:4]
    with ProgressStore.open() as store:
        for n, item in enumerate(questions[:3]):
            store.record(item, GOOD, True, when=NOW - timedelta(days=1, minutes=n))
        store.record(questions[0], GOOD, True)
        store.record(questions[3], GOOD, True)
    show_dashboard()
    out = capsys.readouterr().out
    assert "Interview 2026-12-16: 10 days left" in out
    new = math.ceil((total - 3) / 10)  # unseen at the start of today, over ten days
    assert f"Today's target: 1/3 reviews, 1/{new} new · {2 + new - 1} to go" in out
    assert f"4/{len(bank.questions)} questions seen · 0/{len(bank.drills)} drills attempted" in out
    assert "Forecast: " in out and "on 2026-12-16, with no more reviews" in out


def test_the_dashboard_without_a_plan_says_how_to_set_one(
    fixed_clock: None, capsys: pytest.CaptureFixture[str]
) -> None:
    from normquiz.cli.dashboard import show_dashboard

    show_dashboard()
    assert "`normquiz plan YYYY-MM-DD` gives you a daily target" in capsys.readouterr().out


def test_plan_shows_the_forecast_as_a_picture_with_an_ascii_fallback(
    fixed_clock: None, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_plan(Plan(TODAY + timedelta(days=9)))
    with ProgressStore.open() as store:
        for item in [q.id for q in load_bank(use_env=False).questions][:60]:
            store.record(item, GOOD, True, when=NOW - timedelta(days=3))
    lines = run_cli("plan").stdout.splitlines()
    chart = lines[lines.index("Readiness per day until 2026-12-15, with no more reviews:") + 1 :]
    assert chart[0].startswith("100% │·") and chart[0].endswith("· target 85%")
    columns = chart[4].removeprefix("  0% │")
    assert len(columns) == 10 * 3 and " " not in columns  # ten days, three cells each
    assert chart[5] == "     └" + "─" * 30 and chart[6].split() == ["today", "12-15"]
    monkeypatch.setattr("normquiz.cli.cmd_plan.unicode_ok", lambda: False)
    ascii_lines = run_cli("plan").stdout.splitlines()
    assert "100% |..............................  target 85%".replace("  ", " ") in ascii_lines
    assert "  0% |" + "#" * 30 in ascii_lines
    "\n".join(ascii_lines).encode("ascii")
