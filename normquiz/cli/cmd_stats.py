"""normquiz stats: questions per topic and drills, lapses, time, answers per day, the plan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.bars import bar, column_chart, percent, unicode_ok
from normquiz.cli.options import (
    bank_option,
    json_option,
    print_json,
    stdout_console,
    warn_bad_files,
)

if TYPE_CHECKING:
    from normquiz.progress.plan import Plan
    from normquiz.progress.stats import GroupStats, Stats

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
    from normquiz.cli.cmd_plan import plan_lines, wrapped

    unicode = unicode_ok()
    _table(result, unicode)
    click.echo(f"\n{result.reviews} answers recorded; {result.due} item(s) due now.")
    click.echo("\n".join(wrapped(LEGEND)))
    if result.leeches:
        click.echo(
            "Leeches (failed 4+ times): " + ", ".join(f"{item} ({n})" for item, n in result.leeches)
        )
    click.echo("\nAnswers per day, last 14 days (a drill sitting counts once):")
    click.echo("\n".join(history_chart(result, unicode)))
    click.echo()
    if result.plan is None:
        click.echo("No interview date set: `normquiz plan YYYY-MM-DD` gives you a daily target.")
    else:
        click.echo("\n".join(plan_lines(result.plan, unicode)))


def _table(result: Stats, unicode: bool) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    columns = ["", "seen", "right", "recall now\n(seen)", "readiness\n(all items)"]
    columns += ["due", "lapses", "time"]
    if result.interview:
        columns.append(f"on\n{result.interview.date():%m-%d}")
    for column in columns:
        table.add_column(column, no_wrap=True)
    for name, topic in result.topics.items():
        table.add_row(*_row(name, topic, result, unicode))
    table.add_section()
    table.add_row(*_row("questions", result.questions, result, unicode))
    table.add_row(*_row("drills", result.drills, result, unicode))
    stdout_console().print(table)


def _row(name: str, group: GroupStats, result: Stats, unicode: bool) -> list[str]:
    row = [
        name,
        f"{group.seen}/{group.total}",
        percent(group.accuracy),
        percent(group.recall_now),
        f"{bar(group.readiness, 10, unicode)} {percent(group.readiness):>4}",
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
