"""What bare `normquiz` shows in a terminal: questions and drills seen, items due, progress
per topic, the plan (days left, today's target, the forecast), the next step."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from normquiz.cli.bars import bar, percent, unicode_ok
from normquiz.cli.prose import (
    Column,
    bold,
    echo,
    echo_paragraphs,
    fits,
    indented,
    narrow,
    paragraph,
    table,
    width,
)
from normquiz.exceptions import UserDataError

if TYPE_CHECKING:
    from rich.table import Table

    from normquiz.bank.loader import Bank
    from normquiz.progress.stats import Stats

MAIN_COMMANDS = [
    ("quiz", "answer theory questions (--topic bn, -n 5, ...)"),
    ("review", "spaced review: what is due, then new questions"),
    ("stats", "readiness per topic, drills, lapses, time, answers per day"),
    ("plan", "DATE: your interview date, for a daily target and a forecast"),
    ("drill", "coding drills graded against PyTorch (then: check, watch, hint)"),
    ("explain", "bn | ln | in | gn | rms: what each layer reduces over"),
    ("list / lint", "browse or check the question bank"),
]


def show_dashboard() -> None:
    from normquiz.bank.loader import load_bank
    from normquiz.cli.options import warn_bad_files

    bank = load_bank()
    warn_bad_files(bank.problems_by_file())
    echo(paragraph(bold("normquiz: normalization layers, interview-ready")))
    try:
        stats, drills = _stats(bank)
    except UserDataError as error:
        echo_paragraphs(f"(progress unavailable: {error})")
    else:
        _progress(stats, drills)
    click.echo("\nCommands (each has --help):")
    rows = [[f"normquiz {name}", what] for name, what in MAIN_COMMANDS]
    if narrow():  # each command, then what it does under it
        echo(*[paragraph(text, indent=2 + 2 * n) for row in rows for n, text in enumerate(row)])
    else:
        echo(indented(table([Column("command"), Column("", wraps=True)], rows, header=False), 2))


def _stats(bank: Bank) -> tuple[Stats, dict[str, str]]:
    from normquiz.cli.cmd_stats import stored_plan
    from normquiz.drills.status import drill_statuses
    from normquiz.progress.stats import stats_from_store
    from normquiz.progress.store import ProgressStore

    chosen = stored_plan()
    with ProgressStore.open() as store:
        drills = {row.id: str(row.status) for row in drill_statuses(bank, store)}
        items = [*bank.questions, *bank.drills.values()]
        return stats_from_store(store, items, plan=chosen), drills


def _progress(stats: Stats, drills: dict[str, str]) -> None:
    from normquiz.progress.stats import next_step

    unicode = unicode_ok()
    echo_paragraphs(counts_line(stats, unicode))
    click.echo()
    echo(indented(_topics(stats, drills, unicode), 2))
    click.echo()
    echo_paragraphs(*plan_block(stats, unicode))
    click.echo()
    echo(paragraph(bold(next_step(stats, drills)), "Next:"))


def _topics(stats: Stats, drills: dict[str, str], unicode: bool) -> Table:
    """Readiness per topic (with a bar where it fits), then the drills done."""
    rows = [
        [name, bar(t.readiness, 16, unicode), percent(t.readiness), f"{t.seen}/{t.total} seen"]
        for name, t in stats.topics.items()
    ]
    done = sum(status == "done" for status in drills.values())
    rows.append(["drills", "", "", f"{done}/{len(drills)} done"])
    columns = [Column(""), Column(""), Column("", right=True), Column("")]
    if narrow() or not fits(columns, rows, indent=2):
        columns, rows = [columns[0], *columns[2:]], [[row[0], *row[2:]] for row in rows]
    return table(columns, rows, header=False)


def counts_line(stats: Stats, unicode: bool) -> str:
    """'18/236 questions seen · 5/25 drills attempted · 3 due (1 drill) · 40 answers'."""
    questions, drills = stats.questions, stats.drills
    due = f"{stats.due} due" + (
        f" ({drills.due} drill{'s' * (drills.due != 1)})" if drills.due else ""
    )
    parts = [
        f"{questions.seen}/{questions.total} questions seen",
        f"{drills.seen}/{drills.total} drills attempted",
        due,
        f"{stats.reviews} answers",
    ]
    return (" · " if unicode else " | ").join(parts)


def plan_block(stats: Stats, unicode: bool) -> list[str]:
    """Days left, today's target, the forecast as a sparkline; or how to set a plan."""
    from normquiz.cli.cmd_plan import plan_sparkline, plan_summary

    if stats.plan is None:
        return ["No interview date set: `normquiz plan YYYY-MM-DD` gives you a daily target."]
    if stats.plan.target is None:
        return plan_summary(stats.plan, unicode)
    line = plan_sparkline(stats.plan, unicode)
    if narrow() or len(line) >= width():  # the numbers without the picture
        values = [readiness for _, readiness in stats.plan.curve]
        line = (
            f"Forecast: {percent(values[0])} now, {percent(values[-1])} on "
            f"{stats.plan.interview}, with no more reviews"
        )
    return [*plan_summary(stats.plan, unicode), line]
