"""The interactive session in a terminal, built on prompt-toolkit.

Questions and feedback are printed inline (they stay in the scrollback); each answer is
read by the question kind's widget (``quiz.widgets``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import cast

from prompt_toolkit.application.current import create_app_session
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output

from normquiz.bank.schema import Question
from normquiz.quiz import render
from normquiz.quiz.kinds import SelfRating, kind_of
from normquiz.quiz.layout import Fragments
from normquiz.quiz.markdown import markdown
from normquiz.quiz.prove import Prover
from normquiz.quiz.screen import show
from normquiz.quiz.session import Session, SessionResult
from normquiz.quiz.widgets import (
    END,
    NEXT,
    PROVE,
    QUIT,
    SKIP,
    UNDO,
    ContinueMenu,
    RubricMenu,
)


class TerminalQuiz:
    def __init__(
        self, session: Session, unicode: bool = True, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.session, self.unicode, self.clock = session, unicode, clock
        self.prover = Prover()
        self.page: Fragments = []  # shown since the last answer: the rating step's context

    def run(self) -> SessionResult:
        try:
            result = self._run()
        finally:
            self.prover.close()
        if (failure := result.save_failure) is not None:
            show([("class:bad", failure.note + "\n")])
            raise failure.error  # after the summary: the CLI prints it as one line, exit 1
        return result

    def show(self, fragments: Fragments) -> None:
        show([("", "\n"), *fragments])
        self.page += fragments

    def rate(self, points: list[str], ticks: list[bool], suggestion: int) -> SelfRating:
        """The learner's rating; Ctrl-C or Ctrl-D end the session (the answer is not
        recorded: it was never rated)."""
        rated = RubricMenu(points, ticks, self.page).run()
        if not isinstance(rated, SelfRating):
            raise KeyboardInterrupt
        return rated

    def _after_answer(self, question: Question) -> object:
        """Enter goes on, p proves (then asks again), q or Ctrl-C ends."""
        last = self.session.current is None
        while (choice := ContinueMenu(bool(question.verify), last).run()) == PROVE:
            show([("class:muted", "Running the proof with torch (Ctrl-C ends the session)...\n")])
            self.show(self.prover.prove(question))
        return choice

    def _run(self) -> SessionResult:
        try:
            self._ask_all()
        except KeyboardInterrupt:  # Ctrl-C at a step with no prompt (a proof loading, rating)
            self.session.quit()
        self.show(render.summary(self.session.result))
        return self.session.result

    def _ask_all(self) -> None:
        while (question := self.session.current) is not None:
            number = self.session.position + 1
            context = render.question_header(question, number, self.session.total) + markdown(
                question.prompt.rstrip() + "\n"
            )
            started = self.clock()
            action = kind_of(question).ask_terminal(question, context)
            if action in (QUIT, END):
                self.session.quit()
            elif action == SKIP:
                self.session.skip()
                show([("class:muted", "skipped\n")])
            else:
                self._grade(question, action, self.clock() - started)
                if self.session.result.save_failure is not None:
                    continue  # the store cannot write: the session is over
                after = self._after_answer(question)
                if after == UNDO:
                    self.session.undo()
                    show([("class:muted", "Undone: that answer was deleted; answer again.\n")])
                elif after != NEXT:
                    self.session.quit()

    def _grade(self, question: Question, action: object, seconds: float) -> None:
        _, response = cast(tuple[str, object], action)
        kind = kind_of(question)
        mine: Fragments = [("class:heading", "Your answer:\n"), ("", f"{response}\n\n")]
        self.page = mine if kind.multiline else []
        outcome = kind.conclude(question, response, seconds, self.session, self)
        self.show(
            kind.verdict(outcome, self.unicode)
            + render.schedule(outcome)
            + kind.feedback(outcome)
            + render.explanation(question, self.session.titles)
        )


def run_terminal(
    session: Session, input: Input | None = None, output: Output | None = None, unicode: bool = True
) -> SessionResult:
    """Run the interactive session (tests pass a pipe input and a DummyOutput)."""
    with create_app_session(input=input, output=output):
        return TerminalQuiz(session, unicode).run()


def ask_yes_no(question: str, output: Output | None = None) -> bool:
    """A y/n question in the terminal (on ``output``); Ctrl-C or Ctrl-D mean no."""
    from prompt_toolkit.shortcuts import confirm

    with create_app_session(output=output):
        try:
            return confirm(question)
        except (KeyboardInterrupt, EOFError):
            return False


def ask_choice(question: str, keys: str, output: Output | None = None) -> str:
    """One key out of ``keys`` (shown with ``question``); "" for Ctrl-C or Ctrl-D."""
    from normquiz.quiz.widgets import KeyChoice

    with create_app_session(output=output):
        return str(KeyChoice(question, keys).run())
