"""What a session shows, as (style, text) fragments: the terminal UI styles them,
plain mode prints their text. Marks are words and characters, never colour alone."""

from __future__ import annotations

import re
from collections.abc import Mapping

from normquiz.bank.schema import (DocReference, MultiChoice, PaperReference, Question,
                                  ShortAnswer, SingleChoice, TrueFalse)
from normquiz.progress.scheduler import RATING_NAMES
from normquiz.quiz.grading import LETTERS, correct_answer
from normquiz.quiz.layout import reflow
from normquiz.quiz.session import Outcome, SessionResult

Fragments = list[tuple[str, str]]
TYPE_NAMES = {"single": "single choice", "multi": "multiple choice", "true_false": "true/false",
              "numeric": "numeric", "short": "short answer"}


def plain(fragments: Fragments) -> str:
    return "".join(text for _, text in fragments)


def inline_markdown(text: str, base: str = "") -> Fragments:
    """Paragraphs reflowed; `code` keeps its backticks in the code style; **bold** loses its
    asterisks and gets the strong style; the rest is left as written."""
    fragments: Fragments = []
    for part in re.split(r"(`[^`\n]+`|\*\*[^*\n]+\*\*)", reflow(text)):
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            fragments.append(("class:code", part))
        elif part.startswith("**") and part.endswith("**") and len(part) > 4:
            fragments.append(("class:strong", part[2:-2]))
        elif part:
            fragments.append((base, part))
    return fragments


def question_header(question: Question, number: int, total: int) -> Fragments:
    kind = TYPE_NAMES.get(question.type, question.type)
    return [("class:muted", f"[{number}/{total}] "), ("class:id", question.id),
            ("class:muted", f"  ({kind}, {question.topic}, difficulty {question.difficulty})\n")]


def question_body(question: Question) -> Fragments:
    fragments = inline_markdown(question.prompt.rstrip() + "\n")
    if isinstance(question, SingleChoice | MultiChoice):
        for i, choice in enumerate(question.choices):
            fragments += [("class:letter", f"  {LETTERS[i]}) ")] + inline_markdown(choice.text + "\n")
    return fragments


def answer_hint(question: Question) -> str:
    """What to type in plain mode."""
    if isinstance(question, SingleChoice):
        return f"a letter a-{LETTERS[len(question.choices) - 1]}"
    if isinstance(question, MultiChoice):
        return f"letters separated by commas, e.g. a,c (a-{LETTERS[len(question.choices) - 1]})"
    if isinstance(question, TrueFalse):
        return "t or f"
    if isinstance(question, ShortAnswer):
        return "your answer in one line"
    return "a number"


def verdict(outcome: Outcome, unicode: bool = True) -> Fragments:
    right, wrong = ("✓ Right", "✗ Wrong") if unicode else ("[+] Right", "[x] Wrong")
    if isinstance(outcome.question, ShortAnswer):
        mark = right if outcome.correct else wrong
        rating = RATING_NAMES[outcome.rating]
        return [("class:good" if outcome.correct else "class:bad", f"{mark} (rated {rating})\n")]
    if outcome.correct:
        return [("class:good", right + "\n")]
    return [("class:bad", f"{wrong}. "), ("", "The answer is ")] + \
        inline_markdown(correct_answer(outcome.question) + "\n", "class:answer")


def choice_feedback(outcome: Outcome) -> Fragments:
    """The feedback of each choice the learner got wrong (picked wrongly or missed)."""
    question = outcome.question
    if not isinstance(question, SingleChoice | MultiChoice) or outcome.correct:
        return []
    picked = {LETTERS.index(x) for x in
              ([outcome.response] if isinstance(outcome.response, str) else outcome.response)}
    fragments: Fragments = []
    for i, choice in enumerate(question.choices):
        if (i in picked) != choice.correct and choice.feedback:
            what = "you picked" if i in picked else "you missed"
            fragments += [("class:letter", f"  {LETTERS[i]}) {what}: ")]
            fragments += inline_markdown(choice.feedback.strip() + "\n")
    return fragments


def explanation(question: Question, related_titles: Mapping[str, str] | None = None) -> Fragments:
    fragments: Fragments = [("class:heading", "Why: ")] + inline_markdown(question.explanation.strip() + "\n")
    if question.myth:
        fragments += [("class:heading", "Myth corrected: ")] + inline_markdown(question.myth.strip() + "\n")
    fragments += [("class:heading", "References:\n")]
    fragments += [("class:muted", f"  - {reference_text(r)}\n") for r in question.references]
    if question.related:
        fragments += [("class:heading", "Related: "), ("", ", ".join(question.related) + "\n")]
    return fragments


def reference_text(reference: PaperReference | DocReference) -> str:
    if isinstance(reference, DocReference):
        return f"{reference.title} ({reference.url})"
    names = reference.authors
    who = ", ".join(names[:3]) + (" et al." if len(names) > 3 else "")
    extras = [x for x in (reference.venue, f"section {reference.section}" if reference.section else None,
                          reference.url) if x]
    title = reference.title if reference.title[-1] in ".?!" else reference.title + "."
    tail = f" {', '.join(extras)}." if extras else ""
    return f"{who} ({reference.year}). {title}{tail}"


def short_model_answer(question: ShortAnswer, ticks: list[bool], unicode: bool = True) -> Fragments:
    on, off = ("[x]", "[ ]")
    fragments: Fragments = [("class:heading", "Model answer:\n")]
    fragments += inline_markdown(question.model_answer.strip() + "\n")
    fragments += [("class:heading", "Rubric (ticked: your answer mentions it):\n")]
    for i, (point, tick) in enumerate(zip(question.rubric, ticks)):
        fragments.append(("class:good" if tick else "", f"  {i + 1}. {on if tick else off} {point.point}\n"))
    return fragments


def summary(result: SessionResult) -> Fragments:
    answered = len(result.outcomes)
    if not answered:
        skipped = f" ({len(result.skipped)} skipped)" if result.skipped else ""
        return [("class:heading", f"No questions answered{skipped}.\n")]
    percent = round(100 * result.correct / answered)
    fragments: Fragments = [("class:heading", f"Score: {result.correct}/{answered} ({percent}%)")]
    if result.skipped:
        fragments.append(("class:muted", f", {len(result.skipped)} skipped"))
    fragments.append(("", "\n"))
    for topic, (right, n) in result.by_topic().items():
        fragments.append(("", f"  {topic:<8} {right}/{n}\n"))
    if result.missed:
        fragments += [("class:heading", "Missed: "), ("class:bad", ", ".join(result.missed) + "\n")]
    return fragments
