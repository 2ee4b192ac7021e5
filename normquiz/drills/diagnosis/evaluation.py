"""The eval-mode family: BatchNorm at inference normalized with the running statistics or the
batch's, eps placed in the ways it goes wrong, gamma and beta applied or not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from normquiz.drills.diagnosis import wording
from normquiz.drills.diagnosis.context import Context, Unit
from normquiz.drills.diagnosis.ledger import Finding, Ledger
from normquiz.drills.results import Diagnosis

SOURCES = ("running", "batch")
AFFINE = ("both", "scale", "shift", "none")


@dataclass(frozen=True)
class EvalItem:
    unit: Unit
    x: np.ndarray
    mean: np.ndarray  # running statistics, (C,)
    var: np.ndarray
    gamma: np.ndarray
    beta: np.ndarray
    eps: float


def evaluated(item: EvalItem) -> np.ndarray:
    """(source, eps variant, affine, *x.shape)."""
    x = item.x.astype(np.float64)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    axes = (0, *range(2, x.ndim))
    means = [item.mean.reshape(shape), x.mean(axis=axes, keepdims=True)]
    variances = [item.var.reshape(shape), x.var(axis=axes, keepdims=True)]
    gamma, beta = item.gamma.reshape(shape), item.beta.reshape(shape)
    rows = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for mean, var in zip(means, variances, strict=True):
            root, eps = np.sqrt(var), item.eps
            for den in (np.sqrt(var + eps), root + eps, root, np.sqrt(var - eps), var + eps):
                xhat = (x - mean) / den
                rows += [xhat * gamma + beta, xhat * gamma, xhat + beta, xhat]
    return np.stack(rows)


def eval_findings(context: Context, items: Sequence[EvalItem]) -> list[Finding]:
    grid = (len(SOURCES), len(wording.DENOMINATORS), len(AFFINE))
    ledger = Ledger(context, int(np.prod(grid)))
    for item in items:
        stack = evaluated(item)
        ledger.record(np.arange(len(stack)), item.unit, stack)
    return ledger.findings(lambda row: _describe(grid, row))


def _describe(grid: tuple[int, ...], row: int) -> tuple[Diagnosis, ...]:
    source, den, affine = (int(i) for i in np.unravel_index(row, grid))
    batch = Diagnosis(
        "batch-stats-in-eval",
        "You normalized with the statistics of the batch. In eval mode BatchNorm uses the "
        "running mean and variance, so one sample's output does not depend on the others.",
    )
    found = [
        batch if SOURCES[source] == "batch" else None,
        wording.denominator(wording.DENOMINATORS[den], "running_var", "BatchNorm"),
        wording.affine(AFFINE[affine], AFFINE[0]),
    ]
    return tuple(d for d in found if d is not None)
