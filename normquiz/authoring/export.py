"""Questions and drills as study cards: a front and a back in Markdown, for the exports.

``export_anki`` renders the cards to HTML notes; ``export_markdown`` writes them as study
sheets. A drill's back is its reference solution; a drill whose solution file cannot be
read is left out, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.bank.query import select
from normquiz.bank.schema import (
    ChoiceQuestion,
    DocReference,
    Numeric,
    PaperReference,
    Question,
    ShortAnswer,
    TrueFalse,
)

LETTERS = "abcdefghij"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True)
class StudyCard:
    """One question or drill: what to ask (``front``) and the answer (``back``), Markdown."""

    id: str
    kind: str  # "question" or "drill"
    type: str
    topic: str
    tags: tuple[str, ...]
    front: str
    back: str


@dataclass(frozen=True)
class Skipped:
    """An item left out of an export, and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class CardSelection:
    cards: tuple[StudyCard, ...]
    skipped: tuple[Skipped, ...]

    @property
    def topics(self) -> list[str]:
        return sorted({card.topic for card in self.cards})

    def count(self, kind: str) -> int:
        return sum(card.kind == kind for card in self.cards)


def select_cards(
    bank: Bank, topics: Sequence[str] = (), tags: Sequence[str] = (), types: Sequence[str] = ()
) -> CardSelection:
    """The cards of the items matching the filters (as ``normquiz list`` selects them)."""
    items = select([*bank.questions, *bank.drills.values()], topics, tags, types)
    cards: list[StudyCard] = []
    skipped: list[Skipped] = []
    for item in items:
        if isinstance(item, Drill):
            card_or_reason = drill_card(bank, item)
            if isinstance(card_or_reason, str):
                skipped.append(Skipped(item.id, card_or_reason))
                continue
            cards.append(card_or_reason)
        else:
            cards.append(question_card(item))
    return CardSelection(tuple(cards), tuple(skipped))


def question_card(question: Question) -> StudyCard:
    return StudyCard(
        id=question.id,
        kind="question",
        type=question.type,
        topic=question.topic,
        tags=tuple(question.tags),
        front=question_front(question),
        back=question_back(question),
    )


def drill_card(bank: Bank, drill: Drill) -> StudyCard | str:
    """The drill's prompt on the front, its reference solution on the back; or why not."""
    path = bank.drill_file(drill.id, drill.solution)
    try:
        solution = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return f"its solution {path} could not be read ({error.__class__.__name__})"
    front = f"**Drill: {escape(drill.title)}**\n\n{drill.prompt.strip()}\n"
    back = f"**Reference solution** (`{drill.function}`)\n\n{fenced(solution, 'python')}"
    return StudyCard(drill.id, "drill", "drill", drill.topic, tuple(drill.tags), front, back)


def question_front(question: Question) -> str:
    """The prompt, then the choices in file order, lettered (or "True or false?")."""
    parts = [question.prompt.strip()]
    if isinstance(question, ChoiceQuestion):
        which = "one" if question.type == "single" else "every one that applies"
        parts.append(f"*Choose {which}:*")
        parts.append(
            "\n".join(_lettered(i, choice.text) for i, choice in enumerate(question.choices))
        )
    elif isinstance(question, TrueFalse):
        parts.append("*True or false?*")
    return "\n\n".join(parts) + "\n"


def question_back(question: Question) -> str:
    """The answer, the explanation, the myth it corrects and the references."""
    parts = [answer_text(question), "**Why**", question.explanation.strip()]
    if question.myth:
        parts += ["**Myth corrected**", question.myth.strip()]
    parts += [
        "**References**",
        "\n".join(f"- {reference_markdown(r)}" for r in question.references),
    ]
    return "\n\n".join(parts) + "\n"


def answer_text(question: Question) -> str:
    """The key as Markdown: letters and choices, true/false, a number, a model answer."""
    if isinstance(question, ChoiceQuestion):
        return _choice_answer(question)
    if isinstance(question, TrueFalse):
        return f"**Answer: {'True' if question.answer else 'False'}**"
    if isinstance(question, Numeric):
        return f"**Answer: {numeric_text(question)}**"
    assert isinstance(question, ShortAnswer)
    points = "\n".join(f"- {_indented(point.point.strip())}" for point in question.rubric)
    return (
        f"**Model answer**\n\n{question.model_answer.strip()}\n\n"
        f"**Rubric points** (a good answer states each)\n\n{points}"
    )


def _choice_answer(question: ChoiceQuestion) -> str:
    right = sorted(question.correct_indexes())
    lines = [f"**Answer: {', '.join(LETTERS[i] for i in right)}**", ""]
    lines += [_lettered(i, question.choices[i].text) for i in right]
    wrong = [(i, c) for i, c in enumerate(question.choices) if not c.correct and c.feedback]
    if wrong:
        lines += ["", "**Why not the others**", ""]
        lines += [_lettered(i, choice.feedback or "") for i, choice in wrong]
    return "\n".join(lines)


def numeric_text(question: Numeric) -> str:
    """``128 parameters (exact)``, ``0.5 (accepted within ± 0.01 or ± 1%)``."""
    unit = escape(question.unit) if question.unit else None
    shown = f" {unit}" if unit else ""
    return f"{question.value:g}{shown} ({question.tolerance_text(unit)})"


def reference_markdown(reference: PaperReference | DocReference) -> str:
    """A reference as one Markdown line, linked where it has an address."""
    section = f", section {escape(reference.section)}" if reference.section else ""
    if isinstance(reference, DocReference):
        return f"[{escape(reference.title)}](<{reference.url}>){section}"
    names = reference.authors
    who = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
    venue = f", {escape(reference.venue)}" if reference.venue else ""
    title = escape(reference.title)
    if reference.url:
        title = f"[{title}](<{reference.url}>)"
    return f"{escape(who)} ({reference.year}). *{title}*{venue}{section}."


def escape(text: str) -> str:
    """Plain text made safe inside Markdown (its punctuation backslash-escaped)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text.strip())


def fenced(code: str, language: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in ``code``."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{code.rstrip()}\n{fence}\n"


def _lettered(index: int, text: str) -> str:
    return f"- **{LETTERS[index]}.** {_indented(text.strip())}"


def _indented(text: str) -> str:
    """Continuation lines indented to stay inside a list item."""
    first, *rest = text.split("\n")
    return "\n".join([first, *("  " + line if line.strip() else "" for line in rest)])
