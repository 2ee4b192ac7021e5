"""A quiz session as pure logic: questions in, graded outcomes out, no I/O.

The front ends (terminal UI, plain text) ask the learner; the question's kind grades the
response and calls ``record`` (see ``QuestionKind.conclude``), or the front end calls
``skip``/``quit``;
``save`` (usually the progress store) is called once per answer, as it happens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from normquiz.bank.schema import Question
from normquiz.exceptions import UserDataError
from normquiz.quiz.outcome import Outcome, Saved


@dataclass(frozen=True)
class SaveFailure:
    """An answer the store could not save (a full disk, the file-size limit): the session
    ended there; the front end prints the summary, ``note``, then raises ``error``."""

    outcome: Outcome
    error: UserDataError
    saved: int  # the answers of this session saved before it

    @property
    def note(self) -> str:
        before = {0: "It was the first of this session.", 1: "The answer before it is saved."}
        saved = before.get(self.saved, f"The {self.saved} answers before it are saved.")
        return f"Not saved: your answer to {self.outcome.question.id}. {saved}"


@dataclass
class SessionResult:
    outcomes: list[Outcome] = field(default_factory=list)  # saved as they were given
    skipped: list[str] = field(default_factory=list)
    quit_early: bool = False
    retry: SessionResult | None = None  # the retry of what this session missed, if asked
    save_failure: SaveFailure | None = None  # the answer that could not be saved, if any

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
            "items": [
                {
                    "id": o.question.id,
                    "correct": o.correct,
                    "response": o.response,
                    "rating": o.rating,
                }
                for o in self.outcomes
            ],
            **({"retry": self.retry.as_json()} if self.retry else {}),
            **({"not_saved": self.save_failure.outcome.question.id} if self.save_failure else {}),
        }


Saver = Callable[[Outcome], Saved | None]
Unsaver = Callable[[Outcome], None]


class Session:
    def __init__(
        self,
        questions: Sequence[Question],
        save: Saver | None = None,
        unsave: Unsaver | None = None,
        auto_easy: bool = True,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        self.questions = list(questions)
        self.titles = titles or {}  # item id -> title, for the related items in feedback
        self.position = 0
        self.result = SessionResult()
        self.auto_easy = auto_easy
        self._save, self._unsave = save, unsave
        self._undoable: int | None = None  # the position of an answer that can be undone

    @property
    def current(self) -> Question | None:
        if self.result.quit_early or self.position >= len(self.questions):
            return None
        return self.questions[self.position]

    @property
    def total(self) -> int:
        return len(self.questions)

    def skip(self) -> None:
        self.result.skipped.append(self._require_current().id)
        self.position += 1
        self._undoable = None

    def quit(self) -> None:
        self.result.quit_early = self.current is not None
        self.position = len(self.questions)

    def _require_current(self) -> Question:
        question = self.current
        if question is None:
            raise RuntimeError("the session is over")
        return question

    def record(self, outcome: Outcome) -> Outcome:
        """Save an outcome of the current question, then move on. If the store cannot save
        it, the session ends there (``result.save_failure``); earlier answers stay saved."""
        if outcome.question is not self._require_current():
            raise RuntimeError("an outcome must be for the current question")
        try:
            saved = self._save(outcome) if self._save is not None else None  # before moving on
        except UserDataError as error:
            self.result.save_failure = SaveFailure(outcome, error, len(self.result.outcomes))
            self._undoable = None
            self.quit()
            return outcome
        if saved is not None:
            outcome = replace(outcome, review_id=saved.review_id, next_in=saved.next_in)
        self.result.outcomes.append(outcome)
        self._undoable = self.position
        self.position += 1
        return outcome

    @property
    def can_undo(self) -> bool:
        """Whether the last thing done was an answer (not a skip), which ``undo`` takes back."""
        return self._undoable is not None and not self.result.quit_early

    def undo(self) -> Outcome:
        """Take back the last answer: its review is deleted and its question asked again."""
        if self._undoable is None:
            raise RuntimeError("there is no answer to undo")
        outcome = self.result.outcomes.pop()
        if self._unsave is not None:
            self._unsave(outcome)
        self.position, self._undoable = self._undoable, None
        return outcome
