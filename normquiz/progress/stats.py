"""Readiness per topic and per kind (questions, drills) from the review history and the
FSRS cards, answers per day, and the plan's target; pure given a clock and a time zone."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from fsrs import Card, Scheduler

from normquiz.progress.plan import Plan, PlanStatus, Progress, local_day, plan_status
from normquiz.progress.scheduler import recall_probability
from normquiz.progress.store import ProgressStore

LEECH_FAILURES = 4
HISTORY_DAYS = 14


class Item(Protocol):
    """What stats need of a question or drill."""

    @property
    def id(self) -> str: ...
    @property
    def topic(self) -> str: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Snapshot:
    """What stats read from the progress store."""

    cards: Mapping[str, Card]
    answers: Mapping[str, tuple[int, int]]  # item -> (answers, correct answers)
    failures: Mapping[str, int]  # item -> wrong answers
    lapses: Mapping[str, int]  # item -> answers rated Again after its first answer
    time_ms: Mapping[str, int]
    answer_times: Sequence[tuple[str, datetime]]  # (item, when) of every answer

    @classmethod
    def of(cls, store: ProgressStore) -> Snapshot:
        return cls(
            store.cards(),
            store.answer_counts(),
            store.failure_counts(),
            store.lapse_counts(),
            store.time_spent_ms(),
            store.answer_times(),
        )


@dataclass
class GroupStats:
    """A group of items: the questions of one topic, all questions, or all drills."""

    kind: str = "question"
    total: int = 0
    seen: int = 0
    answers: int = 0
    correct_answers: int = 0
    due: int = 0
    lapses: int = 0
    time_ms: int = 0
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
    today: date
    topics: dict[str, GroupStats] = field(default_factory=dict)  # questions, by topic
    questions: GroupStats = field(default_factory=GroupStats)
    drills: GroupStats = field(default_factory=lambda: GroupStats(kind="drill"))
    leeches: list[tuple[str, int]] = field(default_factory=list)
    history: tuple[tuple[date, int], ...] = ()  # answers per local day, oldest first
    plan: PlanStatus | None = None

    @property
    def due(self) -> int:
        return self.questions.due + self.drills.due

    def as_json(self) -> dict[str, object]:
        return {
            "reviews": self.reviews,
            "now": self.now.isoformat(),
            "today": self.today.isoformat(),
            "interview": self.interview.date().isoformat() if self.interview else None,
            "due": self.due,
            "lapses": self.questions.lapses + self.drills.lapses,
            "time_ms": self.questions.time_ms + self.drills.time_ms,
            "topics": {name: t.as_json() for name, t in self.topics.items()},
            "questions": self.questions.as_json(),
            "drills": self.drills.as_json(),
            "history": [{"date": day.isoformat(), "answers": n} for day, n in self.history],
            "plan": self.plan.as_json() if self.plan else None,
            "leeches": [{"id": item, "failures": n} for item, n in self.leeches],
        }


@dataclass(frozen=True)
class When:
    """The moments stats are taken at: now, the interview (optional), the time zone of
    "today" (None: the machine's local zone)."""

    now: datetime
    interview: datetime | None = None
    tz: tzinfo | None = None


def compute_stats(
    items: Sequence[Item],
    snapshot: Snapshot,
    scheduler: Scheduler,
    when: When,
    plan: Plan | None = None,
) -> Stats:
    """Stats of ``items`` (questions and drills); the plan's status when one is set."""
    stats = Stats(
        when.now,
        when.interview,
        reviews=sum(n for n, _ in snapshot.answers.values()),
        today=local_day(when.now, when.tz),
    )
    questions = [item for item in items if item.kind != "drill"]
    by_topic: dict[str, list[Item]] = defaultdict(list)
    for item in questions:
        by_topic[item.topic].append(item)
    group = _Grouper(snapshot, scheduler, when)
    stats.topics = {topic: group(by_topic[topic], "question") for topic in sorted(by_topic)}
    stats.questions = group(questions, "question")
    stats.drills = group([item for item in items if item.kind == "drill"], "drill")
    stats.leeches = _leeches(snapshot.failures, {item.id for item in items})
    stats.history = answers_per_day(snapshot.answer_times, stats.today, when.tz)
    if plan is not None:
        progress = _progress(items, snapshot, stats.today, when.tz)
        stats.plan = plan_status(plan, progress, scheduler, when.now, when.tz)
    return stats


@dataclass(frozen=True)
class _Grouper:
    snapshot: Snapshot
    scheduler: Scheduler
    when: When

    def __call__(self, items: Sequence[Item], kind: str) -> GroupStats:
        snap, now, interview = self.snapshot, self.when.now, self.when.interview
        ids = [item.id for item in items]
        seen = [snap.cards[i] for i in ids if i in snap.cards]
        group = GroupStats(kind=kind, total=len(ids), seen=len(seen))
        group.answers = sum(snap.answers.get(i, (0, 0))[0] for i in ids)
        group.correct_answers = sum(snap.answers.get(i, (0, 0))[1] for i in ids)
        group.lapses = sum(snap.lapses.get(i, 0) for i in ids)
        group.time_ms = sum(snap.time_ms.get(i, 0) for i in ids)
        group.due = sum(card.due <= now for card in seen)
        group.recall_now, group.readiness = self._recall(seen, len(ids), now)
        if interview is not None:
            group.forecast_seen, group.forecast = self._recall(seen, len(ids), interview)
        return group

    def _recall(self, seen: list[Card], total: int, at: datetime) -> tuple[float | None, float]:
        """(mean recall of the seen cards, or None; the same over ``total`` items)."""
        recall = [recall_probability(self.scheduler, card, at) for card in seen]
        return (sum(recall) / len(recall) if recall else None), sum(recall) / max(total, 1)


def _leeches(failures: Mapping[str, int], known: set[str]) -> list[tuple[str, int]]:
    found = [(item, n) for item, n in failures.items() if n >= LEECH_FAILURES and item in known]
    return sorted(found, key=lambda x: (-x[1], x[0]))


def answers_per_day(
    answer_times: Sequence[tuple[str, datetime]],
    today: date,
    tz: tzinfo | None = None,
    days: int = HISTORY_DAYS,
) -> tuple[tuple[date, int], ...]:
    """Answers per local day, the ``days`` days up to ``today``, oldest first."""
    counts = Counter(local_day(when, tz) for _, when in answer_times)
    window = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    return tuple((day, counts[day]) for day in window)


def _progress(
    items: Sequence[Item], snapshot: Snapshot, today: date, tz: tzinfo | None
) -> Progress:
    first_seen: dict[str, date] = {}
    answered_today: set[str] = set()
    for item, when in snapshot.answer_times:
        day = local_day(when, tz)
        first_seen[item] = min(first_seen.get(item, day), day)
        if day == today:
            answered_today.add(item)
    return Progress(
        frozenset(item.id for item in items),
        snapshot.cards,
        first_seen,
        frozenset(answered_today),
    )


def stats_from_store(
    store: ProgressStore,
    items: Sequence[Item],
    interview: datetime | None = None,
    plan: Plan | None = None,
    tz: tzinfo | None = None,
) -> Stats:
    """Stats for ``items`` from a ProgressStore, at the store's clock."""
    when = When(store.clock(), interview, tz)
    return compute_stats(items, Snapshot.of(store), store.scheduler, when, plan)


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
    if stats.plan is None:
        return "normquiz plan YYYY-MM-DD    (everything seen; set your interview date)"
    return "normquiz stats    (everything seen; check your forecast)"
