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
    show,
)


class TerminalQuiz:
    def __init__(
        self, session: Session, unicode: bool = True, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.session, self.unicode, self.clock = session, unicode, clock
        self.prover = Prover()

    def run(self) -> SessionResult:
        try:
            return self._run()
        finally:
            self.prover.close()

    def show(self, fragments: Fragments) -> None:
        show([("", "\n"), *fragments])

    def rate(self, points: list[str], ticks: list[bool], suggestion: int) -> SelfRating:
        rated: SelfRating = RubricMenu(points, ticks).run()  # type: ignore[assignment]
        return rated

    def _after_answer(self, question: Question) -> object:
        """Enter goes on, p proves (then asks again), q or Ctrl-C ends."""
        last = self.session.current is None
        while (choice := ContinueMenu(bool(question.verify), last).run()) == PROVE:
            self.show(self.prover.prove(question))
        return choice

    def _run(self) -> SessionResult:
        while (question := self.session.current) is not None:
            number = self.session.position + 1
            self.show(
                render.question_header(question, number, self.session.total)
                + markdown(question.prompt.rstrip() + "\n")
            )
            started = self.clock()
            action = kind_of(question).ask_terminal(question)
            if action in (QUIT, END):
                self.session.quit()
            elif action == SKIP:
                self.session.skip()
                show([("class:muted", "skipped\n")])
            else:
                self._grade(question, action, self.clock() - started)
                after = self._after_answer(question)
                if after == UNDO:
                    self.session.undo()
                    show([("class:muted", "Undone: that answer was deleted; answer again.\n")])
                elif after != NEXT:
                    self.session.quit()
        self.show(render.summary(self.session.result))
        return self.session.result

    def _grade(self, question: Question, action: object, seconds: float) -> None:
        _, response = cast(tuple[str, object], action)
        kind = kind_of(question)
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
    """One key out of ``keys`` (shown with ``question``); Ctrl-C or Ctrl-D choose the last."""
    from normquiz.quiz.widgets import KeyChoice

    with create_app_session(output=output):
        return str(KeyChoice(question, keys).run())
