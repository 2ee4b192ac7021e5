"""Plain mode: the same session as plain text, one answer per input line (a short answer:
its lines up to a line holding only ".").

For scripts, tests and screen readers: no escape codes, the id printed with the feedback,
end of input ends the session normally.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TextIO

from normquiz.bank.schema import Question
from normquiz.progress.scheduler import RATING_NAMES
from normquiz.quiz import render
from normquiz.quiz.kinds import Invalid, QuestionKind, SelfRating, kind_of
from normquiz.quiz.layout import Fragments, plain
from normquiz.quiz.prove import Prover
from normquiz.quiz.session import Session, SessionResult

HELP = (
    "Type your answer and press Enter. s skips the question, q ends the session "
    "(answers so far are saved), p proves the previous answer by running its torch "
    "snippet, u undoes the previous answer (its review is deleted and it is asked again), "
    "? shows this help."
)


class PlainQuiz:
    def __init__(
        self,
        session: Session,
        lines: TextIO,
        out: TextIO,
        clock: Callable[[], float] = time.monotonic,
        echo: bool = False,
    ) -> None:
        self.session, self.lines, self.out, self.clock = session, lines, out, clock
        self.echo = echo  # repeat each input line, so a piped transcript reads naturally
        self.previous: Question | None = None
        self.prover: Prover | None = None
        self.input_ended = False  # input ended while rating: the suggestion was kept

    def run(self) -> SessionResult:
        try:
            while self._ask_all() and self._after_last() == "undo":
                pass
        except KeyboardInterrupt:
            self.session.quit()
        finally:
            if self.prover is not None:
                self.prover.close()
        self._write("\n" + plain(render.summary(self.session.result)))
        if (failure := self.session.result.save_failure) is not None:
            self._write(failure.note + "\n")
            raise failure.error  # after the summary: the CLI prints it as one line, exit 1
        return self.session.result

    def _ask_all(self) -> bool:
        """Ask until the session ends; False when input ended or on quit."""
        while (question := self.session.current) is not None:
            if not self._ask(question):
                return False
        return True

    def _undo(self) -> None:
        if not self.session.can_undo:
            self._write("nothing to undo: u takes back the answer just given\n")
            return
        undone = self.session.undo()
        self.previous = None
        self._write(f"undone: {undone.question.id} was deleted from your history; answer again\n")

    def _ask(self, question: Question) -> bool:
        """Show one question and read until an answer; False when input ended or on quit."""
        number = self.session.position + 1
        kind = kind_of(question)
        self._write(
            "\n"
            + plain(
                render.question_header(question, number, self.session.total)
                + render.question_body(question)
            )
        )
        started = self.clock()
        while True:
            end = '; a line with only "." ends it' if kind.multiline else ""
            line = self._read(
                f"answer ({kind.plain_hint(question)}{end}; s skip, q quit, ? help)> "
            )
            if line is None:
                return False
            command = line.strip().lower()
            if command == "?":
                self._write(HELP + "\n")
            elif command == "s":
                self.session.skip()
                self._write("skipped\n")
                return True
            elif command == "q":
                self.session.quit()
                return False
            elif command == "p":
                self._prove_previous()
            elif command == "u":
                self._undo()
                return True
            elif isinstance(response := kind.parse(question, self._rest(kind, line)), Invalid):
                self._write(f"not an answer: {response.reason}\n")
            else:
                return self._grade(question, response, self.clock() - started)

    def _rest(self, kind: QuestionKind[Any], first: str) -> str:
        """A multi-line answer: ``first`` and the lines after it, up to a line holding only
        "." (or the end of input)."""
        if not kind.multiline or first.strip() == ".":
            return first
        lines = [first]
        while (line := self._read("... ")) is not None and line.strip() != ".":
            lines.append(line)
        return "\n".join(lines)

    def _after_last(self) -> str:
        """After the last answer there is no next prompt: offer the proof and the undo once
        more. "undo" when the learner took the answer back (the session goes on)."""
        if not self.session.can_undo:
            return "done"
        prove = "p proves the answer with torch, " if self.previous and self.previous.verify else ""
        while True:
            line = self._read(f"({prove}u undoes it; Enter finishes)> ")
            command = (line or "").strip().lower()
            if command == "p" and prove:
                self._prove_previous()
            elif command == "u":
                self._undo()
                return "undo"
            else:
                return "done"

    def _prove_previous(self) -> None:
        if self.previous is None:
            self._write("nothing answered yet to prove\n")
            return
        self.prover = self.prover or Prover()
        self._write(plain(self.prover.prove(self.previous)))

    def _grade(self, question: Question, response: object, seconds: float) -> bool:
        """Grade and show the feedback; False when input ended while rating."""
        self.previous = question
        kind = kind_of(question)
        outcome = kind.conclude(question, response, seconds, self.session, self)
        self._write(
            plain(
                kind.verdict(outcome, False)
                + render.schedule(outcome)
                + kind.feedback(outcome)
                + render.explanation(question, self.session.titles)
            )
        )
        return not self.input_ended

    def show(self, fragments: Fragments) -> None:
        self._write(plain(fragments))

    def rate(self, points: list[str], ticks: list[bool], suggestion: int) -> SelfRating:
        """A rating 1-4 (empty line: the suggestion); end of input keeps the suggestion."""
        names = ", ".join(f"{n} {name}" for n, name in RATING_NAMES.items())
        while True:
            line = self._read(f"rate yourself ({names}; Enter = {RATING_NAMES[suggestion]})> ")
            if line is None:
                self.input_ended = True
                return SelfRating(ticks, suggestion)
            if not line.strip():
                return SelfRating(ticks, suggestion)
            if line.strip() in ("1", "2", "3", "4"):
                return SelfRating(ticks, int(line.strip()))
            self._write("not a rating: type 1, 2, 3 or 4, or press Enter\n")

    def _read(self, prompt: str) -> str | None:
        self._write(prompt)
        line = self.lines.readline()
        if not line:
            self._write("\n")
            return None
        line = line.rstrip("\r\n")
        if self.echo:
            self._write(line + "\n")
        return line

    def _write(self, text: str) -> None:
        try:
            self.out.write(text)
        except UnicodeEncodeError:  # e.g. an ASCII-only terminal: degrade, never crash
            encoding = getattr(self.out, "encoding", None) or "ascii"
            self.out.write(text.encode(encoding, "replace").decode(encoding))
        self.out.flush()
