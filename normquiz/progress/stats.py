"""Readiness per topic from the review history and the FSRS cards; pure given a clock."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Protocol

from fsrs import Card, Scheduler

from normquiz.progress.scheduler import recall_probability
from normquiz.progress.store import ProgressStore

LEECH_FAILURES = 4


class Item(Protocol):
    """What stats need of a question or drill."""

    @property
    def id(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass
class TopicStats:
    total: int = 0
    seen: int = 0
    answers: int = 0
    correct_answers: int = 0
    due: int = 0
    recall_now: float | None = None  # mean FSRS recall probability of the seen items
    readiness: float = 0.0  # the same over all items (unseen count as 0)
    forecast: float | None = None  # readiness on the interview date
    forecast_seen: float | None = None

    @property
    def accuracy(self) -> float | None:
        return self.correct_answers / self.answers if self.answers else None

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "accuracy": self.accuracy}


@dataclass
class Stats:
    now: datetime
    interview: datetime | None
    reviews: int
    topics: dict[str, TopicStats] = field(default_factory=dict)
    leeches: list[tuple[str, int]] = field(default_factory=list)

    @property
    def due(self) -> int:
        return sum(t.due for t in self.topics.values())

    def as_json(self) -> dict[str, object]:
        return {
            "reviews": self.reviews,
            "now": self.now.isoformat(),
            "interview": self.interview.date().isoformat() if self.interview else None,
            "due": self.due,
            "topics": {name: t.as_json() for name, t in self.topics.items()},
            "leeches": [{"id": item, "failures": n} for item, n in self.leeches],
        }


def compute_stats(
    items: Sequence[Item],
    cards: Mapping[str, Card],
    answers: Mapping[str, tuple[int, int]],
    failures: Mapping[str, int],
    scheduler: Scheduler,
    now: datetime,
    interview: datetime | None = None,
) -> Stats:
    """answers: item -> (answers, correct); failures: item -> wrong answers."""
    by_topic: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_topic[item.topic].append(item)
    stats = Stats(now, interview, reviews=sum(n for n, _ in answers.values()))
    for topic in sorted(by_topic):
        stats.topics[topic] = _topic(by_topic[topic], cards, answers, scheduler, now, interview)
    known = {item.id for item in items}
    stats.leeches = sorted(
        ((item, n) for item, n in failures.items() if n >= LEECH_FAILURES and item in known),
        key=lambda x: (-x[1], x[0]),
    )
    return stats


def _topic(
    questions: list[Item],
    cards: Mapping[str, Card],
    answers: Mapping[str, tuple[int, int]],
    scheduler: Scheduler,
    now: datetime,
    interview: datetime | None,
) -> TopicStats:
    seen = [cards[q.id] for q in questions if q.id in cards]
    topic = TopicStats(total=len(questions), seen=len(seen))
    topic.answers = sum(answers.get(q.id, (0, 0))[0] for q in questions)
    topic.correct_answers = sum(answers.get(q.id, (0, 0))[1] for q in questions)
    topic.due = sum(card.due <= now for card in seen)
    recall = [recall_probability(scheduler, card, now) for card in seen]
    topic.recall_now = sum(recall) / len(recall) if recall else None
    topic.readiness = sum(recall) / len(questions)
    if interview is not None:
        later = [recall_probability(scheduler, card, interview) for card in seen]
        topic.forecast = sum(later) / len(questions)
        topic.forecast_seen = sum(later) / len(later) if later else None
    return topic


def stats_from_store(
    store: ProgressStore, items: Sequence[Item], interview: datetime | None = None
) -> Stats:
    """Stats for ``items`` from a ProgressStore, at the store's clock."""
    return compute_stats(
        items,
        store.cards(),
        store.answer_counts(),
        store.failure_counts(),
        store.scheduler,
        store.clock(),
        interview,
    )


def next_step(stats: Stats, drill_status: Mapping[str, str] | None = None) -> str:
    """The one command to run next: due reviews, an unfinished drill, then the least-covered
    topic, then the first drill not done."""
    drill_status = drill_status or {}
    if stats.due:
        return f"normquiz review    ({stats.due} item(s) due now)"
    attempted = [d for d, status in drill_status.items() if status == "attempted"]
    if attempted:
        return f"normquiz watch {attempted[0]}    (a drill you started)"
    open_topics = [(t.seen / t.total, name) for name, t in stats.topics.items() if t.seen < t.total]
    pending = [d for d, status in drill_status.items() if status == "pending"]
    if open_topics and (min(open_topics)[0] < 0.5 or not pending):
        _, topic = min(open_topics)
        return f"normquiz quiz --topic {topic}    (least covered: {topic})"
    if pending:
        return f"normquiz drill {pending[0]}    (a coding drill)"
    return "normquiz stats --interview YYYY-MM-DD    (everything seen; check your forecast)"
