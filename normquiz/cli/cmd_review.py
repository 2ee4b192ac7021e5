"""normquiz review: spaced review of due items, then new ones."""

from __future__ import annotations

from pathlib import Path

import click

from normquiz.cli import summary
from normquiz.cli.options import bank_option
from normquiz.cli.sessions import run_session, session_options


@click.command(short_help=summary("review"))
@session_options(default_count=20)
@bank_option
def review(
    count: int,
    seed: int | None,
    plain: bool,
    no_auto_easy: bool,
    retry_missed: bool,
    as_json: bool,
    banks: tuple[Path, ...],
) -> None:
    """Review what is due (FSRS), then new questions, topics mixed.

    Objective answers are rated for you: wrong is Again, right is Good, right and fast is
    Easy. Short answers are rated by you.

    \b
    Examples:
      normquiz review
      normquiz review -n 5 --plain --json < answers.txt
    """
    from normquiz.quiz.start import SessionRequest

    request = SessionRequest(
        "review", count=count, seed=seed, banks=banks, auto_easy=not no_auto_easy
    )
    run_session(request, plain, as_json, retry_missed)
