"""The running-statistics family: how running_mean and running_var were updated over the
training steps (weight of the new batch, count, stored or not, which batch variance), and,
where the drill evaluates afterwards, the eval output those statistics give."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from normquiz.drills.diagnosis.context import Context, Unit
from normquiz.drills.diagnosis.ledger import Finding, Ledger
from normquiz.drills.results import Diagnosis

# how much the k-th batch weighs; "frozen": the update is never stored
SCHEDULES = ("right", "inverted", "default", "count+1", "count-1", "uncounted", "frozen")
ESTIMATORS = ("unbiased", "biased")
DEFAULT_MOMENTUM = 0.1
VAR_OPTIONS = [(s, e) for s in SCHEDULES for e in ESTIMATORS]


@dataclass(frozen=True)
class Evaluation:
    """An eval-mode output computed with the final running statistics."""

    unit: Unit
    x: np.ndarray
    gamma: np.ndarray
    beta: np.ndarray
    eps: float


@dataclass(frozen=True)
class RunItem:
    """One case's training steps: the batches, the initial state, where the outputs are."""

    batches: tuple[np.ndarray, ...]
    mean: np.ndarray
    var: np.ndarray
    tracked: int
    momentum: float | None
    mean_units: tuple[Unit, ...]
    var_units: tuple[Unit, ...]
    evaluation: Evaluation | None = None


def weights(schedule: str, momentum: float | None, tracked: int, steps: int) -> np.ndarray:
    """The weight of the new batch at each step, under a schedule."""
    k = tracked + np.arange(1, steps + 1, dtype=np.float64)  # batches counted after each step
    with np.errstate(divide="ignore"):
        right = np.full(steps, momentum) if momentum is not None else 1.0 / k
        if momentum is not None and schedule in ("default", "count+1", "count-1", "uncounted"):
            return right
        return {
            "right": right,
            "inverted": 1.0 - right,
            "default": np.full(steps, DEFAULT_MOMENTUM),
            "count+1": 1.0 / (k + 1),
            "count-1": 1.0 / (k - 1),
            "uncounted": np.full(steps, 1.0 / (tracked + 1)),
            "frozen": np.zeros(steps),
        }[schedule]


def _averaged(start: np.ndarray, values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """running = (1 - w) * running + w * value, step by step; (steps, C)."""
    out, running = [], start.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        for w, value in zip(weight, values, strict=True):
            running = (1 - w) * running + w * value
            out.append(running)
    return np.stack(out)


def _batch_stats(item: RunItem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per step: mean, unbiased and biased variance per channel."""
    means, unbiased, biased = [], [], []
    for x in item.batches:
        axes = (0, *range(2, x.ndim))
        n = x.size // x.shape[1]
        var = np.asarray(x, np.float64).var(axis=axes)
        means.append(np.asarray(x, np.float64).mean(axis=axes))
        biased.append(var)
        with np.errstate(divide="ignore", invalid="ignore"):
            unbiased.append(var * n / (n - 1))
    return np.stack(means), np.stack(unbiased), np.stack(biased)


def runs(item: RunItem) -> tuple[np.ndarray, np.ndarray]:
    """running_mean per schedule and running_var per (schedule, estimator): (option, step, C)."""
    means, unbiased, biased = _batch_stats(item)
    steps = len(item.batches)

    def weight(schedule: str) -> np.ndarray:
        return weights(schedule, item.momentum, item.tracked, steps)

    mean_runs = np.stack([_averaged(item.mean, means, weight(s)) for s in SCHEDULES])
    var_runs = np.stack(
        [
            _averaged(item.var, unbiased if e == "unbiased" else biased, weight(s))
            for s, e in VAR_OPTIONS
        ]
    )
    return mean_runs, var_runs


def running_findings(context: Context, items: Sequence[RunItem]) -> list[Finding]:
    ledger = Ledger(context, len(SCHEDULES) * len(VAR_OPTIONS))
    for item in items:
        _record(ledger, item, *runs(item))
    return ledger.findings(lambda row: describe(row, len(VAR_OPTIONS), VAR_OPTIONS))


def _record(ledger: Ledger, item: RunItem, mean_runs: np.ndarray, var_runs: np.ndarray) -> None:
    """Judge every (mean update, var update) pair: each output alone, then the eval output."""
    pairs = len(var_runs)
    for step, unit in enumerate(item.mean_units):
        rows = np.arange(len(mean_runs) * pairs)
        ledger.record(rows, unit, np.repeat(mean_runs[:, step], pairs, axis=0))
    for step, unit in enumerate(item.var_units):
        rows = np.arange(len(mean_runs) * pairs)
        ledger.record(rows, unit, np.tile(var_runs[:, step], (len(mean_runs), 1)))
    if item.evaluation is not None:
        ev = item.evaluation
        shape = (1, -1) + (1,) * (ev.x.ndim - 2)
        stacked = (len(mean_runs) * pairs, 1, len(ev.gamma)) + (1,) * (ev.x.ndim - 2)
        mean = np.repeat(mean_runs[:, -1], pairs, axis=0).reshape(stacked)
        var = np.tile(var_runs[:, -1], (len(mean_runs), 1)).reshape(stacked)
        gamma, beta = ev.gamma.reshape(shape), ev.beta.reshape(shape)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = gamma * (ev.x - mean) / np.sqrt(var + ev.eps) + beta
        ledger.record(np.arange(len(mean_runs) * pairs), ev.unit, out)


def describe(row: int, pairs: int, var_options: Sequence[tuple[str, str]]) -> tuple[Diagnosis, ...]:
    mean_schedule = SCHEDULES[row // pairs]
    var_schedule, estimator = var_options[row % pairs]
    found: dict[str, list[str]] = {}
    if mean_schedule == var_schedule and mean_schedule != "right":
        _add(found, *_schedule(mean_schedule, "running_mean and running_var"))
    else:
        for schedule, which in ((mean_schedule, "running_mean"), (var_schedule, "running_var")):
            if schedule != "right":
                _add(found, *_schedule(schedule, which))
    if estimator == "biased" and var_schedule != "frozen":
        _add(
            found,
            "biased-running-var",
            "You updated running_var with the biased batch variance. PyTorch normalizes with the "
            "biased variance but stores the unbiased one, var * n / (n - 1), in running_var.",
        )
    return tuple(Diagnosis(slug, " ".join(texts)) for slug, texts in found.items())


def _add(found: dict[str, list[str]], slug: str, text: str) -> None:
    found.setdefault(slug, []).append(text)


def _schedule(schedule: str, which: str) -> tuple[str, str]:
    return {
        "inverted": (
            "momentum-inverted",
            f"You updated {which} as running = m * running + (1 - m) * batch. In PyTorch "
            "momentum is the weight of the new batch: running = (1 - m) * running + m * batch.",
        ),
        "default": (
            "momentum-default-used",
            f"You updated {which} with a moving average of momentum 0.1. With momentum=None "
            "PyTorch keeps a cumulative average: the k-th batch gets weight 1/k.",
        ),
        "count+1": (
            "count-off-by-one",
            f"You weighed the k-th batch by 1/(k + 1) in {which}: count the new batch once, "
            "then weigh it by 1 / num_batches_tracked.",
        ),
        "count-1": (
            "count-off-by-one",
            f"You weighed the k-th batch by 1/(k - 1) in {which}: you weighed it before counting "
            "it. Increment num_batches_tracked first, then use 1 / num_batches_tracked.",
        ),
        "uncounted": (
            "count-not-incremented",
            f"You never incremented num_batches_tracked, so every batch in {which} got the "
            "weight of the batch after the count you started from. Add 1 to it at every step.",
        ),
        "frozen": (
            "running-stats-not-updated",
            f"You never stored the update of {which}, so it keeps its initial value and "
            "inference would use the initial statistics (check the key you write it under).",
        ),
    }[schedule]
