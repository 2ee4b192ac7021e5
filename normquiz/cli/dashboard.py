"""What bare `normquiz` shows in a terminal: questions and drills seen, items due, progress
per topic, the plan (days left, today's target, the forecast), the next step."""

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
    click.echo(counts_line(stats, unicode) + "\n")
    for name, topic in stats.topics.items():
        click.echo(
            f"  {name:<8} {bar(topic.readiness, 16, unicode)} {percent(topic.readiness):>4}"
            f"  {topic.seen}/{topic.total} seen"
        )
    done = sum(status == "done" for status in drills.values())
    click.echo(f"  drills   {done}/{len(drills)} done")
    click.echo()
    click.echo("\n".join(plan_block(stats, unicode)))
    click.echo("\nNext: " + style(next_step(stats, drills), bold=True))


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
    return [*plan_summary(stats.plan, unicode), plan_sparkline(stats.plan, unicode)]
