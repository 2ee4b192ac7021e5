"""Running a quiz or review session from the command line (shared by both commands)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

import click

from normquiz.cli.options import print_json, warn_bad_files
from normquiz.cli.prose import interactive
from normquiz.drills.limits import DEFAULT_TIMEOUT_S

if TYPE_CHECKING:
    from normquiz.bank.drill_schema import Drill
    from normquiz.bank.loader import Bank
    from normquiz.progress.store import ProgressStore
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
            "--retry-missed",
            "retry_missed",
            is_flag=True,
            help="Plain mode: at the end, ask the questions you missed once more (in a "
            "terminal you are asked).",
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
            help="Plain text, one answer per line (automatic when stdin or stdout is not a "
            "terminal, or with TERM=dumb).",
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


def run_session(
    request: SessionRequest, plain: bool, as_json: bool, retry_missed: bool = False
) -> None:
    """Load, open the store, run the right front end (and a retry of what was missed),
    print the result. A review first offers the drills that are due."""
    from normquiz.bank.loader import load_bank
    from normquiz.exceptions import NothingToAsk
    from normquiz.progress.store import ProgressStore
    from normquiz.quiz.start import prepare, retry

    bank = load_bank(request.banks)
    warn_bad_files(bank.problems_by_file())
    out = sys.stderr if as_json else sys.stdout
    in_terminal = not plain and sys.stdin.isatty() and interactive(out)  # TERM=dumb: plain
    with ProgressStore.open() as store:
        drills = _due_drills(bank, store, request, in_terminal, out)
        try:
            session = prepare(request, store, bank)
        except NothingToAsk:
            if not drills:
                raise
            return
        result = _run(session, in_terminal, out)
        missed = len(result.missed)
        if (
            missed
            and not result.quit_early
            and _wants_retry(missed, in_terminal, retry_missed, out)
        ):
            again = retry(result, request, store, titles=session.titles)
            result.retry = _run(again, in_terminal, out)
    if as_json:
        print_json({**result.as_json(), "drills_due": drills})


def _due_drills(
    bank: Bank, store: ProgressStore, request: SessionRequest, in_terminal: bool, out: TextIO
) -> list[str]:
    """In a review: list the due drills (plain mode), or offer to open each (terminal)."""
    from normquiz.drills.status import due_drills

    if request.mode != "review":
        return []
    due = due_drills(bank, store)
    for drill in due:
        command = f"normquiz watch {drill.id}"
        if not in_terminal:
            click.echo(f"Drill due: {drill.id} ({drill.title}): run `{command}`", file=out)
        else:
            _offer_drill(bank, drill, out)
    return [drill.id for drill in due]


def _offer_drill(bank: Bank, drill: Drill, out: TextIO) -> None:
    """Open a due drill in watch mode or the editor, or skip it; the review goes on after."""
    from prompt_toolkit.output import create_output

    from normquiz.quiz.terminal import ask_choice

    click.echo(f"\nDrill due: {drill.id}: {drill.title}", file=out)
    choice = ask_choice(
        "open it: w watch (re-checks on save; q returns here), e your $EDITOR, s skip",
        "wes",
        create_output(stdout=out),
    )
    if not choice:  # Ctrl-C or Ctrl-D: the review ends here, as at every other step
        raise KeyboardInterrupt
    if choice == "w":
        from normquiz.cli.cmd_watch import run_watch

        run_watch(bank, drill, None, DEFAULT_TIMEOUT_S)
    elif choice == "e":
        from normquiz.cli.cmd_drill import edit_drill

        edit_drill(bank, drill)


def _run(session: Session, in_terminal: bool, out: TextIO) -> SessionResult:
    if in_terminal:
        return _run_terminal(session, out)
    from normquiz.quiz.plain import PlainQuiz

    return PlainQuiz(session, sys.stdin, out, echo=not sys.stdin.isatty()).run()


def _wants_retry(missed: int, in_terminal: bool, flag: bool, out: TextIO) -> bool:
    if not in_terminal or flag:
        return flag
    from prompt_toolkit.output import create_output

    from normquiz.quiz.terminal import ask_yes_no

    return ask_yes_no(f"Retry the {missed} you missed now?", create_output(stdout=out))


def _run_terminal(session: Session, out: TextIO) -> SessionResult:
    from prompt_toolkit.output import create_output

    from normquiz.quiz.terminal import run_terminal

    unicode = (out.encoding or "").lower().replace("-", "").startswith("utf")
    return run_terminal(session, output=create_output(stdout=out), unicode=unicode)
