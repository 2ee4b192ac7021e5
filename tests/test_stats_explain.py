"""Stats with a fixed clock, the interview forecast, leeches, explain figures, dashboard."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fsrs import Scheduler

from conftest import FIXTURE_ARGS, FIXTURE_BANK, run_cli, run_normquiz
from normquiz.bank.loader import load_bank
from normquiz.cli import cli
from normquiz.explain import HW, LAYERS, C, N, figure_rows
from normquiz.progress.scheduler import AGAIN, GOOD
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
    child.expect("due now")
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
    assert next_step(empty, {"bn-forward": "done"}).startswith("normquiz stats --interview")
