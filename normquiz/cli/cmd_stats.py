"""normquiz stats: readiness per topic, forecast for an interview date, leeches."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.bars import bar, percent, unicode_ok
from normquiz.cli.options import (
    bank_option,
    json_option,
    print_json,
    stdout_console,
    warn_bad_files,
)

if TYPE_CHECKING:
    from normquiz.progress.stats import Stats


@click.command(short_help=summary("stats"))
@click.option(
    "--interview",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Forecast your recall per topic on this date.",
)
@bank_option
@json_option
def stats(interview: datetime | None, banks: tuple[Path, ...], as_json: bool) -> None:
    """Progress per topic: seen/total, accuracy, recall probability now (FSRS), items due.

    Readiness is the mean recall probability over all items of a topic, counting unseen
    items as 0. Leeches are items you failed four times or more.

    \b
    Examples:
      normquiz stats
      normquiz stats --interview 2026-12-15 --json
    """
    from normquiz.bank.loader import load_bank
    from normquiz.progress.stats import stats_from_store
    from normquiz.progress.store import ProgressStore

    bank = load_bank(banks)
    warn_bad_files(bank.problems_by_file())
    with ProgressStore.open() as store:
        when = _interview_time(interview, store.clock())
        result = stats_from_store(store, bank.questions, when)
    if as_json:
        print_json(result.as_json())
    else:
        _print(result)


def _interview_time(day: datetime | None, now: datetime) -> datetime | None:
    if day is None:
        return None
    when = day.replace(hour=12, tzinfo=UTC)
    if when.date() < now.date():
        raise click.BadParameter("the interview date is in the past", param_hint="--interview")
    return when


def _print(result: Stats) -> None:
    from rich.table import Table

    unicode = unicode_ok()
    table = Table(box=None, header_style="bold", pad_edge=False)
    columns = ["topic", "seen", "right", "recall", "readiness", "due"]
    if result.interview:
        columns.append(f"on {result.interview.date()}")
    for column in columns:
        table.add_column(column, no_wrap=True)
    for name, topic in result.topics.items():
        row = [
            name,
            f"{topic.seen}/{topic.total}",
            percent(topic.accuracy),
            percent(topic.recall_now),
            f"{bar(topic.readiness, 10, unicode)} {percent(topic.readiness):>4}",
            str(topic.due),
        ]
        if result.interview:
            row.append(f"{bar(topic.forecast, 10, unicode)} {percent(topic.forecast):>4}")
        table.add_row(*row)
    stdout_console().print(table)
    click.echo(
        f"\n{result.reviews} answers recorded; {result.due} item(s) due now. "
        "right: share of answers right; recall: mean FSRS recall probability of the items "
        "seen; readiness: the same over all items, unseen counting as 0."
    )
    if result.leeches:
        click.echo(
            "Leeches (failed 4+ times): " + ", ".join(f"{item} ({n})" for item, n in result.leeches)
        )
