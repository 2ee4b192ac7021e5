"""normquiz quiz: a session of theory questions."""

from __future__ import annotations

from pathlib import Path

import click

from normquiz.cli import summary
from normquiz.cli.options import bank_option, filter_options
from normquiz.cli.sessions import run_session, session_options


@click.command(short_help=summary("quiz"))
@filter_options
@session_options(default_count=10)
@bank_option
def quiz(
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    types: tuple[str, ...],
    count: int,
    seed: int | None,
    plain: bool,
    no_auto_easy: bool,
    as_json: bool,
    banks: tuple[Path, ...],
) -> None:
    """Answer theory questions; every answer is saved and scheduled for review.

    Keys: arrows or the letter to choose, Space toggles (multiple choice), Enter confirms,
    t/f for true/false, s skips, q quits, ? shows help. Ctrl-C or Ctrl-D end the session;
    everything answered so far is saved.

    \b
    Examples:
      normquiz quiz --topic bn -n 5
      printf 'a\\nt\\n' | normquiz quiz --plain --seed 1 --json
    """
    from normquiz.quiz.start import SessionRequest

    request = SessionRequest(
        "quiz", topics, tags, types, count, seed, banks, auto_easy=not no_auto_easy
    )
    run_session(request, plain, as_json)
