"""normquiz stats: questions per topic and drills, lapses, time, answers per day, the plan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.bars import bar, column_chart, percent, unicode_ok
from normquiz.cli.options import bank_option, json_option, print_json, warn_bad_files

if TYPE_CHECKING:
    from normquiz.cli.prose import Column
    from normquiz.progress.plan import Plan, PlanStatus
    from normquiz.progress.stats import GroupStats, Stats

NO_PLAN = "No interview date set: `normquiz plan YYYY-MM-DD` gives you a daily target."
LEGEND = (
    "seen: items answered at least once; right: share of answers right; recall now: mean "
    "FSRS recall probability of the items seen (high just after a review, so read it with "
    "'right' and lapses); readiness: the same over all items, unseen counting as 0; lapses: "
    "answers rated Again after an item's first answer; time: answering questions, and each "
    "drill sitting from its first check to its last."
)


@click.command(short_help=summary("stats"))
@click.option(
    "--interview",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Forecast your recall on this date (default: the date `normquiz plan` keeps).",
)
@bank_option
@json_option
def stats(interview: datetime | None, banks: tuple[Path, ...], as_json: bool) -> None:
    """Progress per topic and for drills: seen/total, share right, recall now (FSRS, over
    the items seen), readiness (over all items), due, lapses, time; answers per day for the
    last 14 days; with a plan (`normquiz plan DATE`), days left, today's target and the
    readiness forecast per day until the interview.

    Leeches are items you failed four times or more.

    \b
    Examples:
      normquiz stats
      normquiz stats --interview 2026-12-15 --json
    """
    from normquiz.bank.loader import load_bank
    from normquiz.cli.cmd_plan import future_day
    from normquiz.progress.plan import day_moment, local_day
    from normquiz.progress.stats import stats_from_store
    from normquiz.progress.store import ProgressStore

    bank = load_bank(banks)
    warn_bad_files(bank.problems_by_file())
    chosen = stored_plan()
    with ProgressStore.open() as store:
        now = store.clock()
        day = interview.date() if interview else chosen.interview if chosen else None
        if interview is not None:
            future_day(interview, now, "'--interview'")
        when = max(day_moment(day), now) if day is not None and day >= local_day(now) else None
        items = [*bank.questions, *bank.drills.values()]
        result = stats_from_store(store, items, when, chosen)
    if as_json:
        print_json(result.as_json())
    else:
        _print(result)


def stored_plan() -> Plan | None:
    """The plan `normquiz plan` keeps; an unusable plan file is a warning, not a failure."""
    from normquiz.exceptions import UserDataError
    from normquiz.progress.plan import load_plan

    try:
        return load_plan()
    except UserDataError as error:
        click.echo(f"warning: {error}", err=True)
        return None


def _print(result: Stats) -> None:
    """The table, the legend and the charts; on a narrow terminal the numbers stay and
    the bars and charts go (a table too wide is split into several)."""
    from normquiz.cli.prose import echo, echo_paragraphs, split_table

    unicode = unicode_ok()
    echo(*split_table(*_table(result, unicode)))
    click.echo()
    echo_paragraphs(f"{result.reviews} answers recorded; {result.due} item(s) due now.", LEGEND)
    if result.leeches:
        leeches = ", ".join(f"{item} ({n})" for item, n in result.leeches)
        echo_paragraphs(f"Leeches (failed 4+ times): {leeches}")
    click.echo()
    echo_paragraphs(*_history(result, unicode))
    click.echo()
    if result.plan is None:
        echo_paragraphs(NO_PLAN)
    else:
        echo_paragraphs(*plan_text(result.plan, unicode))


def _table(result: Stats, unicode: bool) -> tuple[list[Column], list[list[str]]]:
    """The columns and rows: readiness with a bar where the table fits with it."""
    from normquiz.cli.prose import Column, fits, narrow

    headers = ["seen", "right", "recall now\n(seen)", "readiness\n(all items)"]
    headers += ["due", "lapses", "time"]
    if result.interview:
        headers.append(f"on\n{result.interview.date():%m-%d}")
    columns = [Column(""), *(Column(header, right=True) for header in headers)]
    groups = [*result.topics.items(), ("questions", result.questions), ("drills", result.drills)]
    with_bars = [_row(name, group, result, unicode, True) for name, group in groups]
    if not narrow() and fits(columns, with_bars):
        return columns, with_bars
    return columns, [_row(name, group, result, unicode, False) for name, group in groups]


def _history(result: Stats, unicode: bool) -> list[str]:
    """Answers per day as a chart, or as numbers where the chart does not fit."""
    from normquiz.cli.prose import chart_fits

    title = "Answers per day, last 14 days (a drill sitting counts once)"
    chart = history_chart(result, unicode)
    if chart_fits(chart):
        return [f"{title}:", "\n".join(chart)]
    return [f"{title}, oldest first: " + " ".join(str(n) for _, n in result.history)]


def plan_text(plan: PlanStatus, unicode: bool) -> list[str]:
    """The plan with its chart; where the chart does not fit, its numbers only."""
    from normquiz.cli.cmd_plan import forecast_chart, plan_lines, plan_summary
    from normquiz.cli.prose import chart_fits

    if plan.target is None or chart_fits(forecast_chart(plan, unicode)):
        return plan_lines(plan, unicode)
    forecast = f"Forecast on {plan.interview}: {percent(plan.forecast)} with no more reviews"
    return [*plan_summary(plan, unicode), forecast]


def _row(name: str, group: GroupStats, result: Stats, unicode: bool, bars: bool) -> list[str]:
    readiness = percent(group.readiness)
    row = [
        name,
        f"{group.seen}/{group.total}",
        percent(group.accuracy),
        percent(group.recall_now),
        f"{bar(group.readiness, 10, unicode)} {readiness:>4}" if bars else readiness,
        str(group.due),
        str(group.lapses),
        duration(group.time_ms),
    ]
    if result.interview:
        row.append(percent(group.forecast))
    return row


def history_chart(result: Stats, unicode: bool) -> list[str]:
    """Answers per day as columns, the busiest day full height."""
    counts = [n for _, n in result.history]
    top = max(counts, default=0)
    first = result.history[0][0].strftime("%m-%d") if result.history else ""
    return column_chart(
        counts, max(top, 1), (str(top), "0"), (first, "today"), height=3, unicode=unicode, gap=" "
    )


def duration(ms: int) -> str:
    """Milliseconds as the learner reads them: 40s, 12m, 1h05m; '-' for none."""
    seconds = round(ms / 1000)
    if seconds == 0:
        return "-"
    if seconds < 60:
        return f"{seconds}s"
    minutes = round(seconds / 60)
    return f"{minutes}m" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}m"
