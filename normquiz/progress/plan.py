"""The plan to the interview date: kept in ``plan.json`` in the user's directory; today's
target and the readiness forecast, pure given a clock and a time zone.

Today's target: every unseen item by the day before the interview (unseen / days left, rounded
up, counted from the start of today) and every item FSRS has due by the end of today. FSRS
schedules a review when recall would fall to its desired retention (90%), so a learner who
keeps up sees every item and holds the bank's mean recall near or above TARGET_READINESS.
"Today" is the learner's local calendar day.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from fsrs import Card, Scheduler

from normquiz.exceptions import UsageError, UserDataError
from normquiz.paths import user_home
from normquiz.progress.scheduler import recall_probability

PLAN_NAME = "plan.json"
TARGET_READINESS = 0.85  # mean recall over the bank (unseen items count as 0)
MAX_POINTS = 60  # the forecast curve has at most this many days (evenly spread)


@dataclass(frozen=True)
class Plan:
    interview: date


@dataclass(frozen=True)
class Target:
    """What today asks for, and what was done today."""

    reviews: int  # items seen before today that were due today (done or still due)
    reviews_done: int
    new: int  # unseen items to start today
    new_done: int

    @property
    def met(self) -> bool:
        return self.reviews_done >= self.reviews and self.new_done >= self.new

    @property
    def left(self) -> int:
        return max(0, self.reviews - self.reviews_done) + max(0, self.new - self.new_done)


@dataclass(frozen=True)
class PlanStatus:
    interview: date
    today: date
    target_readiness: float
    readiness: float  # mean recall over the bank now
    target: Target | None  # None once the interview date has passed
    forecast: float | None  # readiness on the interview date with no more reviews
    curve: tuple[tuple[date, float], ...]  # readiness per day, today to the interview

    @property
    def days_left(self) -> int:
        return (self.interview - self.today).days

    def as_json(self) -> dict[str, object]:
        target = self.target
        return {
            "interview": self.interview.isoformat(),
            "today": self.today.isoformat(),
            "days_left": self.days_left,
            "target_readiness": self.target_readiness,
            "readiness": self.readiness,
            "target": None
            if target is None
            else {
                "reviews": target.reviews,
                "reviews_done": target.reviews_done,
                "new": target.new,
                "new_done": target.new_done,
                "met": target.met,
            },
            "forecast": self.forecast,
            "curve": [{"date": day.isoformat(), "readiness": r} for day, r in self.curve],
        }


@dataclass(frozen=True)
class Progress:
    """What the plan needs of the learner's history, for the items of the bank."""

    items: frozenset[str]
    cards: Mapping[str, Card]
    first_seen: Mapping[str, date]  # local day of each item's first answer
    answered_today: frozenset[str]


def plan_path(home: Path | None = None) -> Path:
    return (home or user_home()) / PLAN_NAME


def load_plan(home: Path | None = None) -> Plan | None:
    """The stored plan; None when none is set; UserDataError naming a file it cannot use."""
    path = plan_path(home)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise _unusable(path, str(error)) from None
    try:
        data = json.loads(text)
        return Plan(date.fromisoformat(data["interview"]))
    except (ValueError, TypeError, KeyError):
        raise _unusable(path, 'expected {"interview": "YYYY-MM-DD"}') from None


def _unusable(path: Path, why: str) -> UserDataError:
    return UserDataError(
        f"the plan file {path} is unreadable ({why}); set the date again with "
        "`normquiz plan YYYY-MM-DD`, or remove it with `normquiz plan --clear`"
    )


def save_plan(plan: Plan, home: Path | None = None) -> Path:
    """Write the plan atomically: a reader sees the old plan or the new one, never half."""
    path = plan_path(home)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, json.dumps({"interview": plan.interview.isoformat()}))
    except OSError as error:
        raise _unwritable(path, error) from None
    return path


def _write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside ``path``, then rename it over ``path``."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".plan-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def clear_plan(home: Path | None = None) -> bool:
    """Remove the plan; whether there was one."""
    path = plan_path(home)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise _unwritable(path, error) from None
    return True


def _unwritable(path: Path, error: OSError) -> UserDataError:
    return UserDataError(
        f"cannot write the plan file {path}: {error.strerror or error}. Make its directory "
        "writable, or set NORMQUIZ_HOME to a writable directory."
    )


def local_day(when: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of ``when`` in ``tz`` (default: the machine's local time zone)."""
    return when.astimezone(tz).date()


def day_moment(day: date, tz: tzinfo | None = None, at: time = time(12)) -> datetime:
    """``at`` (default noon: when a day's recall is taken) on ``day`` in ``tz`` (default:
    the machine's local time zone)."""
    if tz is None:
        return datetime.combine(day, at).astimezone()  # a naive time is read as local
    return datetime.combine(day, at, tzinfo=tz)


def check_interview(day: date, today: date) -> date:
    """The interview date, refused (a usage error) when it is before ``today``."""
    if day < today:
        raise UsageError(f"the interview date {day} is in the past (today is {today})")
    return day


def plan_status(
    plan: Plan, progress: Progress, scheduler: Scheduler, now: datetime, tz: tzinfo | None = None
) -> PlanStatus:
    """Days left, today's target, and the forecast curve, at ``now``."""
    today = local_day(now, tz)
    readiness = _readiness(progress, scheduler, now)
    if plan.interview < today:
        return PlanStatus(plan.interview, today, TARGET_READINESS, readiness, None, None, ())
    curve = _curve(progress, scheduler, now, plan.interview, tz)
    return PlanStatus(
        plan.interview,
        today,
        TARGET_READINESS,
        readiness,
        _target(progress, today, (plan.interview - today).days, tz),
        curve[-1][1],
        curve,
    )


def _target(progress: Progress, today: date, days_left: int, tz: tzinfo | None) -> Target:
    seen = [item for item in progress.items if item in progress.first_seen]
    new_done = sum(progress.first_seen[item] == today for item in seen)
    unseen_at_start = len(progress.items) - len(seen) + new_done
    earlier = [item for item in seen if progress.first_seen[item] < today]
    end_of_today = day_moment(today + timedelta(days=1), tz, time(0))
    done = [item for item in earlier if item in progress.answered_today]
    due = [
        item
        for item in earlier
        if item not in progress.answered_today and _due_before(progress.cards, item, end_of_today)
    ]
    return Target(
        reviews=len(done) + len(due),
        reviews_done=len(done),
        new=math.ceil(unseen_at_start / max(days_left, 1)),
        new_done=new_done,
    )


def _due_before(cards: Mapping[str, Card], item: str, when: datetime) -> bool:
    card = cards.get(item)
    return card is not None and card.due < when


def _readiness(progress: Progress, scheduler: Scheduler, when: datetime) -> float:
    """Mean FSRS recall probability over the bank at ``when``; unseen items count as 0."""
    if not progress.items:
        return 0.0
    seen = [progress.cards[item] for item in progress.items if item in progress.cards]
    return sum(recall_probability(scheduler, card, when) for card in seen) / len(progress.items)


def _curve(
    progress: Progress, scheduler: Scheduler, now: datetime, interview: date, tz: tzinfo | None
) -> tuple[tuple[date, float], ...]:
    """Readiness today (now), then at noon of each later day up to the interview, assuming
    no further reviews; at most MAX_POINTS days, evenly spread, first and last kept."""
    today = local_day(now, tz)
    days = (interview - today).days
    offsets = sorted({round(i * days / (MAX_POINTS - 1)) for i in range(MAX_POINTS)})
    if days < MAX_POINTS:
        offsets = list(range(days + 1))
    points = []
    for offset in offsets:
        day = today + timedelta(days=offset)
        when = now if offset == 0 else day_moment(day, tz)
        points.append((day, _readiness(progress, scheduler, when)))
    return tuple(points)
