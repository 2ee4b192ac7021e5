"""normquiz plan: keep the interview date; how its status reads (shared with stats and the
dashboard)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.bars import column_chart, percent, sparkline, unicode_ok
from normquiz.cli.options import bank_option, json_option, print_json

if TYPE_CHECKING:
    from normquiz.progress.plan import PlanStatus

TARGET_RULE = (
    "How today's target is set: the reviews FSRS has due today, plus unseen items / days "
    "left (rounded up), so that every item is seen before the date. 'Today' is your local "
    "calendar day."
)


@click.command(short_help=summary("plan"))
@click.argument(
    "day", required=False, metavar="[YYYY-MM-DD]", type=click.DateTime(formats=["%Y-%m-%d"])
)
@click.option("--clear", is_flag=True, help="Forget the interview date.")
@bank_option
@json_option
def plan(day: datetime | None, clear: bool, banks: tuple[Path, ...], as_json: bool) -> None:
    """Keep your interview date; `normquiz` and `normquiz stats` then show the days left,
    today's target and the readiness forecast. Without a date: show the plan.

    Readiness is the mean FSRS recall probability over the bank (questions and drills,
    unseen items counting as 0); the plan aims at 85% on the day. Today's target: the
    reviews due today, and unseen items / days left, rounded up.

    \b
    Examples:
      normquiz plan 2026-12-15
      normquiz plan
      normquiz plan --clear
    """
    from normquiz.progress import plan as plans

    if day is not None and clear:
        raise click.UsageError("give a date or --clear, not both")
    if clear:
        cleared = plans.clear_plan()
        _say(as_json, "Interview date cleared." if cleared else "No interview date was set.")
        if as_json:
            print_json({"plan": None})
        return
    if day is not None:
        chosen = plans.Plan(future_day(day, datetime.now().astimezone(), "'[YYYY-MM-DD]'"))
        path = plans.save_plan(chosen)
        _say(as_json, f"Interview date set: {chosen.interview} (kept in {path}).")
    _show(banks, as_json)


def future_day(day: datetime, now: datetime, hint: str) -> date:
    """The date of ``day``, refused as a bad parameter when it is before today (local)."""
    from normquiz.exceptions import UsageError
    from normquiz.progress.plan import check_interview, local_day

    try:
        return check_interview(day.date(), local_day(now))
    except UsageError as error:
        raise click.BadParameter(str(error), param_hint=hint) from None


def _say(as_json: bool, text: str) -> None:
    click.echo(text, err=as_json)


def _show(banks: tuple[Path, ...], as_json: bool) -> None:
    from normquiz.bank.loader import load_bank
    from normquiz.cli.options import warn_bad_files
    from normquiz.progress.plan import load_plan
    from normquiz.progress.stats import stats_from_store
    from normquiz.progress.store import ProgressStore

    chosen = load_plan()
    if chosen is None:
        _say(as_json, "No interview date set. Set one: normquiz plan YYYY-MM-DD")
        if as_json:
            print_json({"plan": None})
        return
    bank = load_bank(banks)
    warn_bad_files(bank.problems_by_file())
    with ProgressStore.open() as store:
        status = stats_from_store(store, [*bank.questions, *bank.drills.values()], plan=chosen).plan
    assert status is not None  # a plan was given
    if as_json:
        print_json({"plan": status.as_json()})
    else:
        click.echo("\n".join(plan_lines(status, unicode_ok())))


def plan_lines(status: PlanStatus, unicode: bool) -> list[str]:
    """The plan in full: the day, today's target, the forecast and its curve."""
    if status.target is None:
        return [_passed(status)]
    lines = [
        *plan_summary(status, unicode),
        f"Forecast on {status.interview}: {percent(status.forecast)} with no more reviews",
        "",
        f"Readiness per day until {status.interview}, with no more reviews:",
    ]
    return [*lines, *forecast_chart(status, unicode), "", *wrapped(TARGET_RULE)]


def plan_summary(status: PlanStatus, unicode: bool) -> list[str]:
    """Days left and readiness; today's target and whether it is met."""
    target = status.target
    if target is None:
        return [_passed(status)]
    dot = "·" if unicode else "|"
    done = ("✓" if unicode else "[+]") + " met" if target.met else f"{target.left} to go"
    return [
        f"Interview {status.interview}: {_days_left(status.days_left)} {dot} readiness now "
        f"{percent(status.readiness)}, target {percent(status.target_readiness)}",
        f"Today's target: {target.reviews_done}/{target.reviews} reviews, "
        f"{target.new_done}/{target.new} new {dot} {done}",
    ]


def plan_sparkline(status: PlanStatus, unicode: bool) -> str:
    """The forecast curve as one line on a 0-100% scale, between its first and last value."""
    values = [readiness for _, readiness in status.curve]
    return (
        f"Forecast: {percent(values[0])} now {sparkline(values, unicode)} "
        f"{percent(values[-1])} on {status.interview}, with no more reviews"
    )


def forecast_chart(status: PlanStatus, unicode: bool) -> list[str]:
    values = [readiness for _, readiness in status.curve]
    width = max(1, min(3, 40 // max(len(values), 1)))
    first, last = status.curve[0][0], status.curve[-1][0]
    labels = ("today", last.strftime("%m-%d")) if first != last else ("today", "")
    mark = (status.target_readiness, f"target {percent(status.target_readiness)}")
    return column_chart(
        values, 1.0, ("100%", "0%"), labels, height=5, unicode=unicode, width=width, mark=mark
    )


def wrapped(text: str) -> list[str]:
    """``text`` as lines that fit the terminal (at most 100 columns)."""
    import shutil
    import textwrap

    return textwrap.wrap(text, min(shutil.get_terminal_size().columns, 100) - 1)


def _days_left(days: int) -> str:
    if days == 0:
        return "today"
    return "1 day left" if days == 1 else f"{days} days left"


def _passed(status: PlanStatus) -> str:
    return (
        f"The interview date {status.interview} has passed: `normquiz plan YYYY-MM-DD` "
        "sets a new one, `normquiz plan --clear` removes it."
    )
