"""`normquiz show ID`: one item with everything needed to study it after missing it.

A question with its answer (every choice with its feedback, the right ones marked), the
explanation, the myth it corrects, references, the proof snippet, related items with their
titles and the learner's history of it; a drill with its prompt, status, hints revealed and
the commands to work on it. As (style, text) fragments for the screen and as JSON.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.bank.schema import ChoiceQuestion, Numeric, Question, ShortAnswer, TrueFalse
from normquiz.exceptions import BankError, UsageError
from normquiz.progress.scheduler import RATING_NAMES
from normquiz.progress.store import ProgressStore, ReviewRow
from normquiz.quiz.kinds import LETTERS, kind_of
from normquiz.quiz.layout import Fragments, plain
from normquiz.quiz.markdown import CODE_BLOCK, markdown
from normquiz.quiz.render import interval_text, reference_text, related_items, why_fragments

TITLE_WIDTH = 70
RECENT_ANSWERS = 5  # the answers listed one per line (all are counted)
_SENTENCE_END = re.compile(r"(\S*)[.?!]\s+(?=[A-Z`(\"'])")
_ABBREVIATIONS = {"al", "e.g", "i.e", "vs", "etc", "cf", "fig", "eq", "sec", "approx"}


def item_title(item: Question | Drill) -> str:
    """A drill's title; a question's first sentence (Markdown marks and backticks dropped),
    shortened to about ``TITLE_WIDTH`` characters."""
    if isinstance(item, Drill):
        return item.title
    sentence = _first_sentence(_first_paragraph(item.prompt))
    if len(sentence) <= TITLE_WIDTH:
        return sentence
    return sentence[: TITLE_WIDTH - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def _first_sentence(text: str) -> str:
    """Up to the first full stop, question or exclamation mark that ends a sentence (not
    one after an abbreviation such as "et al." or an initial)."""
    for end in _SENTENCE_END.finditer(text):
        word = end.group(1).lower()
        if word not in _ABBREVIATIONS and not (len(word) == 1 and word.isalpha()):
            return text[: end.end()].strip()
    return text.strip()


def _first_paragraph(prompt: str) -> str:
    """The prompt's first line of prose as rendered (soft breaks joined, no code blocks)."""
    text = ""
    for style, piece in markdown(prompt):
        if style == CODE_BLOCK:
            continue
        head, newline, _ = piece.partition("\n")
        text += head
        if newline and text.strip():
            break
    return " ".join(text.replace("`", "").split())


def titles(bank: Bank) -> dict[str, str]:
    """Every question's and drill's title, by id."""
    items: list[Question | Drill] = [*bank.questions, *bank.drills.values()]
    return {item.id: item_title(item) for item in items}


def find_item(bank: Bank, item_id: str) -> Question | Drill:
    """The question or drill with this id; its load problems when its file refused it; a
    usage error with the closest ids otherwise."""
    item = bank.by_id.get(item_id) or bank.drills.get(item_id)
    if item is not None:
        return item
    refused = [problem for problem in bank.problems if problem.id == item_id]
    if refused:
        raise BankError(refused)
    known = [*bank.by_id, *bank.drills]
    close = difflib.get_close_matches(item_id, known, n=3, cutoff=0.6)
    maybe = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(
        f"no question or drill with id {item_id!r}{maybe} (`normquiz list` shows them all)"
    )


@dataclass(frozen=True)
class Answer:
    """One recorded answer (or drill attempt) of the item."""

    when: datetime
    correct: bool
    rating: int
    mode: str

    def to_json(self) -> dict[str, object]:
        return {
            "when": self.when.isoformat(),
            "correct": self.correct,
            "rating": RATING_NAMES.get(self.rating, str(self.rating)),
            "mode": self.mode,
        }


@dataclass(frozen=True)
class History:
    """The learner's answers to one item, oldest first, and when it is due again."""

    answers: tuple[Answer, ...]
    due: datetime | None
    now: datetime

    @classmethod
    def of(cls, store: ProgressStore, item_id: str) -> History:
        card = store.cards().get(item_id)
        rows = store.reviews(item_id)
        return cls(tuple(_answer(row) for row in rows), card.due if card else None, store.clock())

    @property
    def correct(self) -> int:
        return sum(answer.correct for answer in self.answers)

    def to_json(self) -> dict[str, object]:
        last = self.answers[-1] if self.answers else None
        return {
            "answers": len(self.answers),
            "correct": self.correct,
            "last_correct": last.correct if last else None,
            "due": self.due.isoformat() if self.due else None,
            "reviews": [answer.to_json() for answer in self.answers],
        }


def _answer(row: ReviewRow) -> Answer:
    return Answer(row.reviewed_at, row.correct, row.rating, row.mode)


@dataclass(frozen=True)
class Related:
    id: str
    title: str  # empty when the id is not in the loaded banks

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title or None}


@dataclass(frozen=True)
class QuestionView:
    question: Question
    related: tuple[Related, ...]
    history: History

    def fragments(self) -> Fragments:
        question = self.question
        return [
            *_header(question.id, f"{kind_of(question).label}, {question.topic}", question),
            *markdown(question.prompt.strip() + "\n"),
            ("", "\n"),
            *answer_fragments(question),
            ("", "\n"),
            *why_fragments(question),
            ("", "\n"),
            *proof_fragments(question),
            *_related(self.related),
            ("", "\n"),
            *history_fragments(self.history, "answer"),
            ("class:muted", f"Practise it: normquiz quiz --id {question.id}\n"),
        ]

    def to_json(self) -> dict[str, Any]:
        question = self.question
        return {
            "kind": "question",
            **_common_json(question),
            "type": question.type,
            **answer_json(question),
            "explanation": question.explanation,
            "myth": question.myth,
            "references": [
                {**r.model_dump(exclude_none=True), "text": reference_text(r)}
                for r in question.references
            ],
            "verify": question.verify,
            "verify_kind": question.verify_kind if question.verify else None,
            "related": [r.to_json() for r in self.related],
            "history": self.history.to_json(),
        }


@dataclass(frozen=True)
class DrillView:
    drill: Drill
    related: tuple[Related, ...]
    history: History
    status: str  # pending, attempted or done
    hints_revealed: int

    def commands(self) -> list[tuple[str, str]]:
        """(command, what it does) for working on the drill."""
        drill_id = self.drill.id
        return [
            (f"normquiz drill {drill_id}", "write the starter into your workspace"),
            (f"normquiz watch {drill_id}", "re-check it on every save"),
            (f"normquiz check {drill_id} FILE", "grade FILE (default: your workspace file)"),
            (f"normquiz hint {drill_id}", "reveal the next hint"),
        ]

    def fragments(self) -> Fragments:
        drill = self.drill
        total = len(drill.hints)
        width = max(len(command) for command, _ in self.commands())
        return [
            *_header(drill.id, f"drill, {drill.topic}", drill),
            ("class:heading", drill.title + "\n\n"),
            *markdown(drill.prompt.strip() + "\n"),
            ("", "\n"),
            ("class:heading", "Status: "),
            ("class:answer", self.status),
            ("", f" · hints revealed: {self.hints_revealed} of {total}\n"),
            ("class:heading", "Work on it:\n"),
            *[("", f"  {c:<{width}}  {what}\n") for c, what in self.commands()],
            *_related(self.related),
            ("", "\n"),
            *history_fragments(self.history, "attempt"),
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "drill",
            **_common_json(self.drill),
            "title": self.drill.title,
            "status": self.status,
            "hints_revealed": self.hints_revealed,
            "hints_total": len(self.drill.hints),
            "commands": [command for command, _ in self.commands()],
            "related": [r.to_json() for r in self.related],
            "history": self.history.to_json(),
        }


def show_item(bank: Bank, item_id: str, store: ProgressStore) -> QuestionView | DrillView:
    """The view of one item, with the learner's history of it from ``store``."""
    item = find_item(bank, item_id)
    names = titles(bank)
    related = tuple(Related(rid, names.get(rid, "")) for rid in item.related)
    history = History.of(store, item.id)
    if isinstance(item, Drill):
        status = store.drill_status().get(item.id, "pending")
        return DrillView(item, related, history, status, store.hints_revealed(item.id))
    return QuestionView(item, related, history)


def _header(item_id: str, what: str, item: Question | Drill) -> Fragments:
    return [
        ("class:id", item_id),
        ("class:muted", f"  ({what}, difficulty {item.difficulty})\n\n"),
    ]


def _common_json(item: Question | Drill) -> dict[str, object]:
    return {
        "id": item.id,
        "topic": item.topic,
        "difficulty": item.difficulty,
        "tags": list(item.tags),
        "prompt": item.prompt,
    }


def answer_fragments(question: Question) -> Fragments:
    """The answer: every choice (right ones marked, each with its feedback), true or false,
    the number with its tolerance, or the model answer and its rubric points."""
    if isinstance(question, ChoiceQuestion):
        return _choices(question)
    if isinstance(question, ShortAnswer):
        points = [("", f"  {i}. {p.point}\n") for i, p in enumerate(question.rubric, start=1)]
        return [
            ("class:heading", "Model answer:\n"),
            *markdown(question.model_answer.strip() + "\n"),
            ("class:heading", "Rubric (a good answer states each point):\n"),
            *points,
        ]
    answer = kind_of(question).answer_text(question)
    extra = f" ({question.tolerance_text()})" if isinstance(question, Numeric) else ""
    return [("class:heading", "Answer: "), ("class:answer", answer), ("", extra + "\n")]


def _choices(question: ChoiceQuestion) -> Fragments:
    fragments: Fragments = [("class:heading", "Choices ([x] marks the right ones):\n")]
    for i, choice in enumerate(question.choices):
        mark, style = ("[x]", "class:good") if choice.correct else ("[ ]", "")
        marker = f"  {mark} {LETTERS[i]}) "
        fragments += [(style, marker), *markdown(choice.text.strip() + "\n")]
        if choice.feedback:  # under the choice's text: the one hanging indent
            indent = " " * len(marker)
            fragments += [("class:muted", indent), *markdown(choice.feedback.strip() + "\n")]
    return fragments


def answer_json(question: Question) -> dict[str, object]:
    """The answer key as typed JSON: ``answer`` (and ``choices`` for choice questions)."""
    if isinstance(question, ChoiceQuestion):
        choices = [
            {"letter": LETTERS[i], "text": c.text, "correct": c.correct, "feedback": c.feedback}
            for i, c in enumerate(question.choices)
        ]
        return {"answer": [c["letter"] for c in choices if c["correct"]], "choices": choices}
    if isinstance(question, TrueFalse):
        return {"answer": question.answer}
    if isinstance(question, Numeric):
        keys = ("value", "abs_tol", "rel_tol", "unit")
        return {"answer": {key: getattr(question, key) for key in keys}}
    rubric = [point.point for point in question.rubric]
    return {"answer": {"model_answer": question.model_answer, "rubric": rubric}}


def proof_fragments(question: Question) -> Fragments:
    """The verify snippet as a code block (never reflowed), named proof or illustration."""
    if not question.verify:
        return [("class:muted", "No proof snippet: the references carry this answer.\n")]
    heading = (
        "Proof (torch code that computes and checks the answer):\n"
        if question.proved
        else "Illustration (torch code that shows the answer; it does not prove it):\n"
    )
    code = [(CODE_BLOCK, f"    {line}\n") for line in question.verify.rstrip().split("\n")]
    return [("class:heading", heading), *code]


def _related(related: Sequence[Related]) -> Fragments:
    if not related:
        return []
    ids = [r.id for r in related]
    return related_items(ids, {r.id: r.title for r in related if r.title})


def history_fragments(history: History, noun: str) -> Fragments:
    """How often the item was answered (``noun``: answer, attempt) and how, the last few
    answers, and when it is due."""
    if not history.answers:
        return [("class:heading", "Your history: "), ("", f"no {noun} recorded yet.\n")]
    last = history.answers[-1]
    right = "right" if last.correct else "wrong"
    count = len(history.answers)
    fragments: Fragments = [
        ("class:heading", "Your history: "),
        ("", f"{count} {noun}{'s' * (count != 1)}, {history.correct} right; last one "),
        ("class:good" if last.correct else "class:bad", right),
        ("", f"; {_due_text(history)}\n"),
    ]
    for answer in history.answers[-RECENT_ANSWERS:]:
        verdict = "right" if answer.correct else "wrong"
        rating = RATING_NAMES.get(answer.rating, str(answer.rating))
        fragments.append(("class:muted", f"  {_when(answer.when)}  {verdict:<5}  {rating:<5}  "))
        fragments.append(("class:muted", f"{answer.mode}\n"))
    return fragments


def _due_text(history: History) -> str:
    if history.due is None:
        return "not scheduled"
    if history.due <= history.now:
        return f"due now (since {_when(history.due)})"
    return f"next review {_when(history.due)} (in {interval_text(history.due - history.now)})"


def _when(moment: datetime) -> str:
    """A moment in the learner's local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def as_text(view: QuestionView | DrillView) -> str:
    """The view as plain text (no styles), as printed when the output is not a terminal."""
    return plain(view.fragments())
