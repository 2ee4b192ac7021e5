"""What bare `normquiz` shows in a terminal: due items, progress per topic, the next step."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from normquiz.cli.bars import bar, percent, unicode_ok
from normquiz.cli.options import style
from normquiz.exceptions import UserDataError

if TYPE_CHECKING:
    from normquiz.bank.loader import Bank
    from normquiz.progress.stats import Stats

MAIN_COMMANDS = [
    ("quiz", "answer theory questions (--topic bn, -n 5, ...)"),
    ("review", "spaced review: what is due, then new questions"),
    ("stats", "readiness per topic, --interview DATE for a forecast"),
    ("drill", "coding drills graded against PyTorch (then: check, watch, hint)"),
    ("explain", "bn | ln | in | gn | rms: what each layer reduces over"),
    ("list / lint", "browse or check the question bank"),
]


def show_dashboard() -> None:
    from normquiz.bank.loader import load_bank
    from normquiz.cli.options import warn_bad_files

    bank = load_bank()
    warn_bad_files(bank.problems_by_file())
    click.echo(style("normquiz: normalization layers, interview-ready", bold=True))
    try:
        stats, drills = _stats(bank)
    except UserDataError as error:
        click.echo(f"(progress unavailable: {error})")
    else:
        _progress(stats, drills)
    click.echo("\nCommands (each has --help):")
    for name, what in MAIN_COMMANDS:
        click.echo(f"  normquiz {name:<12} {what}")


def _stats(bank: Bank) -> tuple[Stats, dict[str, str]]:
    from normquiz.drills.status import drill_statuses
    from normquiz.progress.stats import stats_from_store
    from normquiz.progress.store import ProgressStore

    with ProgressStore.open() as store:
        drills = {row.id: str(row.status) for row in drill_statuses(bank, store)}
        return stats_from_store(store, bank.questions), drills


def _progress(stats: Stats, drills: dict[str, str]) -> None:
    from normquiz.progress.stats import next_step

    seen = sum(t.seen for t in stats.topics.values())
    total = sum(t.total for t in stats.topics.values())
    click.echo(
        f"{stats.due} due now · {seen}/{total} questions seen · {stats.reviews} answers\n"
        if unicode_ok()
        else f"{stats.due} due now | {seen}/{total} questions seen | {stats.reviews} answers\n"
    )
    for name, topic in stats.topics.items():
        click.echo(
            f"  {name:<8} {bar(topic.readiness, 16, unicode_ok())} {percent(topic.readiness):>4}"
            f"  {topic.seen}/{topic.total} seen"
        )
    done = sum(status == "done" for status in drills.values())
    click.echo(f"  drills   {done}/{len(drills)} done")
    click.echo("\nNext: " + style(next_step(stats, drills), bold=True))
