"""normquiz quiz: a session of theory questions."""

from __future__ import annotations

from pathlib import Path

import click

from normquiz.cli import summary
from normquiz.cli.options import QUESTION_ID, bank_option, filter_options
from normquiz.cli.sessions import run_session, session_options


@click.command(short_help=summary("quiz"))
@filter_options(with_drill=False)
@click.option(
    "--id",
    "ids",
    multiple=True,
    metavar="ID",
    type=QUESTION_ID,
    help="Ask exactly this question (repeatable; topic, tag and type filters do not apply).",
)
@click.option("--missed", is_flag=True, help="Ask the questions whose last answer was wrong.")
@session_options(default_count=10)
@bank_option
def quiz(
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    types: tuple[str, ...],
    ids: tuple[str, ...],
    missed: bool,
    count: int,
    seed: int | None,
    plain: bool,
    no_auto_easy: bool,
    retry_missed: bool,
    as_json: bool,
    banks: tuple[Path, ...],
) -> None:
    """Answer theory questions; every answer is saved and scheduled for review.

    Questions due for review come first, then ones you have not seen (topics mixed), then
    your weakest; nothing you answered in the last hour is asked again unless you name it
    with --id or ask for --missed. At the end, you are offered to retry what you missed.

    Keys: arrows or the letter to choose, Space toggles (multiple choice), Enter confirms,
    t/f for true/false, s skips, q quits, ? shows help. Ctrl-C or Ctrl-D end the session;
    everything answered so far is saved.

    \b
    Examples:
      normquiz quiz --topic bn -n 5
      normquiz quiz --missed
      normquiz quiz --id bn-eps-role --id ln-params-512
      printf 'a\\nt\\n' | normquiz quiz --plain --seed 1 --json
    """
    from normquiz.quiz.start import SessionRequest

    request = SessionRequest(
        "quiz",
        topics,
        tags,
        types,
        count,
        seed,
        banks,
        auto_easy=not no_auto_easy,
        ids=ids,
        missed=missed,
    )
    run_session(request, plain, as_json, retry_missed)
