"""What a session shows around the answers, as (style, text) fragments: the question's
header and body, the explanation with its references, the summary. What depends on the
question type (choices, verdict, feedback) comes from ``quiz.kinds``."""

from __future__ import annotations

from normquiz.bank.schema import DocReference, PaperReference, Question
from normquiz.quiz.kinds import kind_of
from normquiz.quiz.layout import Fragments
from normquiz.quiz.markdown import markdown
from normquiz.quiz.session import SessionResult


def question_header(question: Question, number: int, total: int) -> Fragments:
    """Position, type, topic and difficulty; the id, which may give the answer away, waits
    for the feedback (``explanation``)."""
    kind = kind_of(question)
    return [
        ("class:muted", f"[{number}/{total}] "),
        ("class:muted", f"({kind.label}, {question.topic}, difficulty {question.difficulty})\n"),
    ]


def question_body(question: Question) -> Fragments:
    """The prompt and, for choice questions, the lettered choices (plain mode)."""
    return markdown(question.prompt.rstrip() + "\n") + kind_of(question).options(question)


def explanation(question: Question) -> Fragments:
    fragments: Fragments = [
        ("class:muted", "Question "),
        ("class:id", question.id),
        ("", "\n"),
        ("class:heading", "Why: "),
        *markdown(question.explanation.strip() + "\n"),
    ]
    if question.myth:
        fragments += [
            ("class:heading", "Myth corrected: "),
            *markdown(question.myth.strip() + "\n"),
        ]
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
    section = f"section {reference.section}" if reference.section else None
    extras = [x for x in (reference.venue, section, reference.url) if x]
    title = reference.title if reference.title[-1] in ".?!" else reference.title + "."
    tail = f" {', '.join(extras)}." if extras else ""
    return f"{who} ({reference.year}). {title}{tail}"


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
