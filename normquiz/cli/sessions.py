"""Running a quiz or review session from the command line (shared by both commands)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

import click

from normquiz.cli.options import print_json, warn_bad_files

if TYPE_CHECKING:
    from normquiz.quiz.session import Session, SessionResult
    from normquiz.quiz.start import SessionRequest


def session_options(default_count: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--json",
            "as_json",
            is_flag=True,
            help="Print the session result as JSON on stdout at the end "
            "(the session itself then goes to stderr).",
        )(command)
        command = click.option(
            "--no-auto-easy",
            "no_auto_easy",
            is_flag=True,
            help="Rate a fast right answer Good, not Easy (by default a right answer "
            "within a few seconds is Easy and comes back later).",
        )(command)
        command = click.option(
            "--plain",
            is_flag=True,
            help="Plain text, one answer per line (automatic when stdin is not a terminal).",
        )(command)
        command = click.option(
            "--seed",
            type=int,
            default=None,
            help="Seed for the order of questions (reproducible sessions).",
        )(command)
        return click.option(
            "-n",
            "count",
            type=click.IntRange(min=1),
            default=default_count,
            show_default=True,
            help="Number of questions.",
        )(command)

    return decorate


def run_session(request: SessionRequest, plain: bool, as_json: bool) -> None:
    """Load, open the store, run the right front end, print the result."""
    from normquiz.bank.loader import load_bank
    from normquiz.progress.store import ProgressStore
    from normquiz.quiz.start import prepare

    bank = load_bank(request.banks)
    warn_bad_files(bank.problems_by_file())
    out = sys.stderr if as_json else sys.stdout
    with ProgressStore.open() as store:
        session = prepare(request, store, bank)
        if plain or not (sys.stdin.isatty() and out.isatty()):
            from normquiz.quiz.plain import PlainQuiz

            result = PlainQuiz(session, sys.stdin, out, echo=not sys.stdin.isatty()).run()
        else:
            result = _run_terminal(session, out)
    if as_json:
        print_json(result.as_json())


def _run_terminal(session: Session, out: TextIO) -> SessionResult:
    from prompt_toolkit.output import create_output

    from normquiz.quiz.terminal import run_terminal

    unicode = (out.encoding or "").lower().replace("-", "").startswith("utf")
    return run_terminal(session, output=create_output(stdout=out), unicode=unicode)
