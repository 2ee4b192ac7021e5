"""What a session shows around the answers, as (style, text) fragments: the question's
header and body, the explanation with its references, the summary. What depends on the
question type (choices, verdict, feedback) comes from ``quiz.kinds``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from normquiz.bank.schema import DocReference, PaperReference, Question
from normquiz.progress.scheduler import EASY, RATING_NAMES
from normquiz.quiz.kinds import kind_of
from normquiz.quiz.layout import Fragments
from normquiz.quiz.markdown import markdown
from normquiz.quiz.outcome import Outcome
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


def schedule(outcome: Outcome) -> Fragments:
    """The rating the answer got and when the item comes back: "Good · next in 3 days"."""
    if outcome.next_in is None:
        return []
    why = ""
    kind = kind_of(outcome.question)
    if outcome.rating == EASY and kind.fast_seconds and outcome.seconds <= kind.fast_seconds:
        why = f" (right within {kind.fast_seconds:g} s; --no-auto-easy turns this off)"
    name = RATING_NAMES[outcome.rating]
    return [("class:muted", f"{name}{why} · next in {interval_text(outcome.next_in)}\n")]


def interval_text(interval: timedelta) -> str:
    """A review interval in the unit a person would use: minutes, hours or days."""
    minutes = max(1, round(interval.total_seconds() / 60))
    if minutes < 60:
        return _plural(minutes, "minute")
    if minutes < 24 * 60:
        return _plural(round(minutes / 60), "hour")
    return _plural(round(minutes / (24 * 60)), "day")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def why_fragments(question: Question) -> Fragments:
    """The explanation, the myth it corrects and the references."""
    fragments: Fragments = [
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
    return fragments


def explanation(question: Question, titles: Mapping[str, str] | None = None) -> Fragments:
    """Why, the myth corrected, references and related items (with their ``titles``)."""
    fragments: Fragments = [("class:muted", "Question "), ("class:id", question.id), ("", "\n")]
    fragments += why_fragments(question)
    if question.related:
        fragments += related_items(question.related, titles or {})
    return fragments


def related_items(ids: Sequence[str], titles: Mapping[str, str]) -> Fragments:
    """ "Related (normquiz show ID):", then one line per id with its title when known."""
    width = max(len(item_id) for item_id in ids)
    fragments: Fragments = [("class:heading", "Related (normquiz show ID):\n")]
    for item_id in ids:
        title = titles.get(item_id)
        rest = f"{' ' * (width - len(item_id))}  {title}" if title else ""
        fragments += [("", "  "), ("class:id", item_id), ("", rest + "\n")]
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
