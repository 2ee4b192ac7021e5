"""Stats with a fixed clock, the interview forecast, leeches, explain figures, dashboard."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs import Scheduler
from test_plan import NOW, fixed_clock, utc_zone  # noqa: F401 (fixtures)

from conftest import FIXTURE_ARGS, FIXTURE_BANK, run_cli, run_normquiz
from normquiz.bank.loader import load_bank
from normquiz.cli import cli
from normquiz.cli.cmd_stats import duration
from normquiz.explain import HW, LAYERS, C, N, figure_rows
from normquiz.progress.plan import Plan, save_plan
from normquiz.progress.scheduler import AGAIN, GOOD
from normquiz.progress.sittings import DrillCheck
from normquiz.progress.stats import next_step, stats_from_store
from normquiz.progress.store import ProgressStore

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
QUESTIONS = load_bank(use_env=False).questions


def test_stats_and_forecast_with_a_fixed_clock(tmp_path: Path) -> None:
    clock = [T0]
    with ProgressStore.open(tmp_path, clock=lambda: clock[0]) as store:
        store.record("rms-params-4096", GOOD, True)
        clock[0] = T0 + timedelta(minutes=15)
        store.record("rms-params-4096", GOOD, True)  # graduates to a review interval in days
        for minute in range(4):
            clock[0] = T0 + timedelta(minutes=20 + minute)
            store.record("ln-params-512", AGAIN, False)
        clock[0] = T0 + timedelta(days=1)
        interview = T0 + timedelta(days=30)
        stats = stats_from_store(store, QUESTIONS, interview)
        cards = store.cards()
    rms, ln = stats.topics["rms"], stats.topics["ln"]
    rms_total = sum(1 for q in QUESTIONS if q.topic == "rms")
    assert (rms.seen, rms.total, rms.answers, rms.accuracy) == (1, rms_total, 2, 1.0)
    assert (ln.seen, ln.answers, ln.accuracy, ln.due) == (1, 4, 0.0, 1)
    fsrs = Scheduler(enable_fuzzing=False)
    expected_now = fsrs.get_card_retrievability(cards["rms-params-4096"], clock[0])
    expected_then = fsrs.get_card_retrievability(cards["rms-params-4096"], interview)
    assert rms.recall_now == pytest.approx(expected_now)
    assert rms.readiness == pytest.approx(expected_now / rms_total)  # unseen items count as 0
    assert rms.forecast == pytest.approx(expected_then / rms_total)
    assert 0 < rms.forecast < rms.readiness  # memory decays until the interview
    assert stats.topics["fusion"].readiness == 0 and stats.topics["fusion"].forecast == 0
    assert stats.leeches == [("ln-params-512", 4)]
    assert stats.reviews == 6 and stats.due == 1
    assert next_step(stats).startswith("normquiz review")


def test_stats_json_and_interview_validation(isolated_home: Path) -> None:
    run_cli("quiz", *FIXTURE_ARGS, "--type", "numeric", input="128\n")
    stats = run_cli("stats", "--bank", str(FIXTURE_BANK), "--json", "--interview", "2099-01-01")
    data = json.loads(stats.stdout)
    assert data["reviews"] == 1 and data["interview"] == "2099-01-01"
    assert (
        data["topics"]["fixture"]["seen"] == 1 and data["topics"]["fixture"]["forecast"] is not None
    )
    assert set(data["topics"]) == {q.topic for q in QUESTIONS} | {"fixture"}
    past = run_cli("stats", "--interview", "2001-01-01")
    assert past.returncode == 2 and "in the past" in past.stderr
    text = run_normquiz("stats", "--bank", str(FIXTURE_BANK), env={"PYTHONIOENCODING": "ascii"})
    assert text.returncode == 0 and "#" in text.stdout and "\x1b[" not in text.stdout


@pytest.mark.parametrize(
    "name, marked_cells",
    [("bn", N * HW), ("ln", C * HW), ("in", HW), ("gn", 2 * HW), ("rms", C * HW)],
)
def test_explain_marks_exactly_one_normalization_set(name: str, marked_cells: int) -> None:
    rows = figure_rows(LAYERS[name], unicode=False)
    marked = "".join(text for row in rows for is_marked, text in row if is_marked)
    assert set(marked) == {"#"} and len(marked) == marked_cells


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_explain_reads_without_colour_or_unicode(name: str) -> None:
    result = run_normquiz("explain", name, env={"NO_COLOR": "1", "PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and "\x1b[" not in result.stdout
    assert "#" in result.stdout and "Reduces:" in result.stdout and "PyTorch:" in result.stdout
    assert "Parameters:" in result.stdout
    result.stdout.encode("ascii")  # nothing outside ASCII


def test_explain_rejects_unknown_layers() -> None:
    assert CliRunner().invoke(cli, ["explain", "xx"]).exit_code == 2


def test_bare_normquiz_in_a_terminal_shows_the_dashboard(isolated_home: Path) -> None:
    import os
    import sys

    import pexpect

    normquiz = str(Path(sys.executable).with_name("normquiz"))
    child = pexpect.spawn(normquiz, [], env={**os.environ}, encoding="utf-8", timeout=30)
    child.expect(r"0/\d+ questions seen · 0/\d+ drills attempted · 0 due · 0 answers")
    child.expect("No interview date set")
    child.expect("Next: normquiz quiz --topic")
    child.expect("normquiz review")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "\x1b[" not in child.before  # NO_COLOR is set by the test fixtures
    coloured = pexpect.spawn(
        normquiz, [], env={**os.environ, "NO_COLOR": ""}, encoding="utf-8", timeout=30
    )
    coloured.expect(r"Next: \x1b\[1mnormquiz")  # styled only on a terminal without NO_COLOR
    coloured.expect(pexpect.EOF)


def test_bare_normquiz_piped_prints_help() -> None:
    result = run_cli()
    assert result.returncode == 0 and "Usage: normquiz" in result.stdout


def test_next_step_order(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=lambda: T0) as store:
        empty = stats_from_store(store, QUESTIONS)
    pending = {"bn-forward": "pending"}
    assert next_step(empty, pending).startswith("normquiz quiz --topic")
    assert (
        next_step(empty, {"bn-forward": "attempted"})
        == "normquiz watch bn-forward    (a drill you started)"
    )
    for topic in empty.topics.values():
        topic.seen = topic.total
    assert next_step(empty, pending).startswith("normquiz drill bn-forward")
    assert next_step(empty, {"bn-forward": "done"}).startswith("normquiz plan YYYY-MM-DD")


@pytest.mark.usefixtures("fixed_clock")
def test_stats_json_carries_drills_lapses_time_history_and_the_plan(isolated_home: Path) -> None:
    save_plan(Plan(date(2026, 12, 20)))
    with ProgressStore.open() as store:
        store.record("ln-params-512", GOOD, True, duration_ms=4_000, when=NOW - timedelta(days=2))
        store.record("ln-params-512", AGAIN, False, duration_ms=6_000, when=NOW - timedelta(days=1))
        store.record("ln-params-512", AGAIN, False, duration_ms=5_000)  # two lapses
        store.record("rms-params-4096", AGAIN, False, duration_ms=3_000)  # a first answer
        store.record_drill_check(DrillCheck("bn-forward", False, {}, 2_000, NOW))
        store.record_drill_check(
            DrillCheck("bn-forward", True, {}, 2_000, NOW + timedelta(minutes=9))
        )
    data = json.loads(run_cli("stats", "--json").stdout)
    drills, questions = data["drills"], data["questions"]
    assert drills["kind"] == "drill" and questions["kind"] == "question"
    assert {topic["kind"] for topic in data["topics"].values()} == {"question"}
    assert (drills["seen"], drills["total"], drills["answers"], drills["correct_answers"]) == (
        1,
        len(load_bank(use_env=False).drills),
        1,
        1,
    )
    assert drills["recall_now"] == pytest.approx(1.0, abs=0.01)  # just passed
    assert (questions["seen"], questions["answers"], questions["lapses"]) == (2, 4, 2)
    assert data["topics"]["ln"]["lapses"] == 2 and data["topics"]["rms"]["lapses"] == 0
    assert questions["time_ms"] == 18_000
    assert drills["time_ms"] == 2_000 + 9 * 60_000  # the first check, then the sitting's span
    assert (data["lapses"], data["time_ms"]) == (2, 18_000 + 542_000)
    history = data["history"]
    assert len(history) == 14 and history[-1]["date"] == "2026-12-06"
    assert history[0]["date"] == "2026-11-23"
    assert [day["answers"] for day in history[-3:]] == [1, 1, 3]  # a drill sitting counts once
    plan = data["plan"]
    assert plan["interview"] == "2026-12-20" and plan["days_left"] == 14
    assert plan["target"]["reviews_done"] == 1 and plan["target"]["new_done"] == 2
    assert plan["target_readiness"] == 0.85 and len(plan["curve"]) == 15
    assert plan["forecast"] == plan["curve"][-1]["readiness"] and data["interview"] == "2026-12-20"


@pytest.mark.usefixtures("fixed_clock")
def test_stats_text_says_what_each_column_means() -> None:
    with ProgressStore.open() as store:
        store.record("ln-params-512", GOOD, True, duration_ms=65_000, when=NOW - timedelta(days=1))
        store.record("ln-params-512", AGAIN, False, duration_ms=5_000)
    out = run_cli("stats").stdout
    assert "recall now" in out and "(seen)" in out and "(all items)" in out
    assert "lapses: answers rated Again after an item's first answer" in " ".join(out.split())
    [drills] = [line for line in out.splitlines() if line.startswith("drills ")]
    assert drills.split()[1] == f"0/{len(load_bank(use_env=False).drills)}"
    [ln] = [line for line in out.splitlines() if line.startswith("ln ")]
    assert ln.split()[-2:] == ["1", "1m"]  # one lapse, 70 s
    lines = out.splitlines()
    chart = lines[lines.index("Answers per day, last 14 days (a drill sitting counts once):") + 1 :]
    assert chart[0] == "1 │" + "  " * 12 + "█ █"  # yesterday and today, one answer each
    assert chart[4].split() == ["11-23", "today"]
    assert "No interview date set: `normquiz plan YYYY-MM-DD`" in out


def test_duration_reads_naturally() -> None:
    assert [duration(ms) for ms in (0, 400, 40_000, 12 * 60_000, 65 * 60_000)] == [
        "-",
        "-",
        "40s",
        "12m",
        "1h05m",
    ]
