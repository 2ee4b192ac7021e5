"""A quiz session as pure logic: questions in, graded outcomes out, no I/O.

The front ends (terminal UI, plain text) ask the learner and call ``answer``/``skip``;
``record`` (usually the progress store) is called once per answer, as it happens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from normquiz.bank.schema import MultiChoice, Question, ShortAnswer, SingleChoice
from normquiz.progress.scheduler import AGAIN, auto_rating
from normquiz.quiz.grading import LETTERS, is_correct


@dataclass(frozen=True)
class Outcome:
    question: Question
    response: object  # JSON-ready: a letter, a list of letters, a bool, a number or text
    correct: bool
    rating: int
    seconds: float


@dataclass
class SessionResult:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    quit_early: bool = False

    @property
    def correct(self) -> int:
        return sum(o.correct for o in self.outcomes)

    @property
    def missed(self) -> list[str]:
        return [o.question.id for o in self.outcomes if not o.correct]

    def by_topic(self) -> dict[str, tuple[int, int]]:
        """topic -> (correct, answered)."""
        answered = Counter(o.question.topic for o in self.outcomes)
        right = Counter(o.question.topic for o in self.outcomes if o.correct)
        return {topic: (right[topic], n) for topic, n in sorted(answered.items())}

    def as_json(self) -> dict[str, object]:
        return {
            "answered": len(self.outcomes),
            "correct": self.correct,
            "skipped": list(self.skipped),
            "items": [{"id": o.question.id, "correct": o.correct, "response": o.response,
                       "rating": o.rating} for o in self.outcomes],
        }


Recorder = Callable[[Outcome], None]


class Session:
    def __init__(self, questions: Sequence[Question], record: Recorder | None = None) -> None:
        self.questions = list(questions)
        self.position = 0
        self.result = SessionResult()
        self._record = record

    @property
    def current(self) -> Question | None:
        if self.result.quit_early or self.position >= len(self.questions):
            return None
        return self.questions[self.position]

    @property
    def total(self) -> int:
        return len(self.questions)

    def answer(self, response: object, seconds: float) -> Outcome:
        """Grade an objective response (index, indexes, bool or number) and record it."""
        question = self._require_current()
        correct = is_correct(question, response)
        rating = auto_rating(question.type, correct, seconds)
        return self._finish(Outcome(question, _json_response(question, response), correct,
                                    rating, seconds))

    def answer_short(self, text: str, ticks: Sequence[bool], rating: int, seconds: float) -> Outcome:
        """Record a self-rated short answer; Again counts as wrong."""
        question = self._require_current()
        response = {"text": text, "points": list(ticks)}
        return self._finish(Outcome(question, response, rating != AGAIN, rating, seconds))

    def skip(self) -> None:
        self.result.skipped.append(self._require_current().id)
        self.position += 1

    def quit(self) -> None:
        self.result.quit_early = self.current is not None
        self.position = len(self.questions)

    def _require_current(self) -> Question:
        question = self.current
        if question is None:
            raise RuntimeError("the session is over")
        return question

    def _finish(self, outcome: Outcome) -> Outcome:
        if self._record is not None:
            self._record(outcome)  # saved before the session moves on
        self.result.outcomes.append(outcome)
        self.position += 1
        return outcome


def _json_response(question: Question, response: object) -> object:
    if isinstance(question, SingleChoice):
        return LETTERS[response]  # type: ignore[index]
    if isinstance(question, MultiChoice):
        return [LETTERS[i] for i in sorted(response)]  # type: ignore[call-overload]
    if isinstance(question, ShortAnswer):
        return response
    return response
