"""The forward family: every way of computing a normalization that differs from the layer's in
the grouping, the centering, the divisor, the eps placement and the affine parameters.

Candidates are computed in float64 from the case's inputs, all variants of one grouping in
one stacked array, and judged unit by unit; a grouping whose variants are all contradicted
is not computed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from normquiz.drills.diagnosis import wording
from normquiz.drills.diagnosis.context import Context, Unit
from normquiz.drills.diagnosis.groupings import (
    ChannelRule,
    Labels,
    Rule,
    TrailingRule,
    rule_labels,
    rule_signature,
)
from normquiz.drills.diagnosis.ledger import Finding, Ledger
from normquiz.drills.results import Diagnosis

CENTERINGS = 2  # the layer's own centering, then the other one


@dataclass(frozen=True)
class Layer:
    """A normalization layer: its candidate groupings (the right one first), whether it
    subtracts the mean, its affine options (the right one first)."""

    name: str
    rules: tuple[Rule, ...]
    centered: bool
    affine: tuple[str, ...]
    unit: str = "sample"  # what the leading axis holds: a sample, or a filter (weights)

    @property
    def stat(self) -> str:
        return "mean and variance" if self.centered else "mean square"


@dataclass(frozen=True)
class NormItem:
    """One normalized array and the output unit it produced."""

    unit: Unit
    x: np.ndarray
    param: int  # groups (GroupNorm) or normalized trailing dims (LayerNorm, RMSNorm)
    scale: np.ndarray | None  # gamma (or weight), broadcastable to x
    shift: np.ndarray | None
    eps: float
    derived: tuple[Unit, ...] = ()  # outputs computed from this one (autograd), not recomputed


def distinct_rules(rules: Sequence[Rule], items: Sequence[NormItem]) -> list[Rule]:
    """The rules that group these inputs differently from each other (the first kept)."""
    kept: list[Rule] = []
    seen: set[tuple[bytes | None, ...]] = set()
    for rule in rules:
        key = (
            *(rule_signature(rule, item.x.shape, item.param) for item in items),
            b"columns" if isinstance(rule, ChannelRule) and rule.columns else b"",
        )
        if key not in seen and any(k is not None for k in key[:-1]):
            seen.add(key)
            kept.append(rule)
    return kept


def forward_findings(context: Context, layer: Layer, items: Sequence[NormItem]) -> list[Finding]:
    rules = distinct_rules(layer.rules, items)
    grid = (
        len(rules),
        len(layer.affine),
        CENTERINGS,
        len(wording.COUNTS),
        len(wording.DENOMINATORS),
    )
    per_rule = int(np.prod(grid[1:]))
    ledger = Ledger(context, len(rules) * per_rule)
    for item in items:
        if not context.analysed(item.unit[0]):
            continue
        for index, rule in enumerate(rules):
            rows = np.arange(index * per_rule, (index + 1) * per_rule)
            labels = rule_labels(rule, item.x.shape, item.param)
            if labels is not None and ledger.alive(rows):
                telling = index == 0 or labels[1] < item.x.size  # not every element alone
                stacks = _stacks(
                    context, on_columns(item) if _columns(rule) else item, labels, layer
                )
                verdict = ledger.record(rows, item.unit, *stacks, telling)
                if verdict is not None:
                    for unit in item.derived:
                        ledger.undetermine(rows[verdict.differs], unit)
    return ledger.findings(lambda row: _describe(layer, rules, items, grid, row))


def normalized(
    item: NormItem, labels: Labels, layer: Layer, dtype: type[np.floating[Any]] = np.float64
) -> np.ndarray:
    """Every variant's output for one grouping, stacked: (affine, centering, count, eps).

    With ``dtype=np.float32`` the elementwise steps round to float32, as float32 code does.
    """
    label, groups = labels
    x = np.asarray(item.x, dtype).ravel()
    n = np.bincount(label, minlength=groups).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean = (np.bincount(label, x, groups) / n).astype(dtype)
        centered = x - mean[label]
        sums = [np.bincount(label, centered * centered, groups), np.bincount(label, x * x, groups)]
        numerators = [centered, x]
        if not layer.centered:
            sums, numerators = sums[::-1], numerators[::-1]
        counts = wording.divisors(n)
        stat = (np.stack(sums)[:, None, :] / counts[None]).astype(dtype)[..., label]
        xhat = np.stack(numerators)[:, None, None, :] / _denominators(stat, item.eps)
        out = np.stack([_affine(xhat, item, option) for option in layer.affine])
    return out.astype(np.float64).reshape(-1, *item.x.shape)


def _columns(rule: Rule) -> bool:
    return isinstance(rule, ChannelRule) and rule.columns


def on_columns(item: NormItem) -> NormItem:
    """The item with gamma and beta applied to the columns of x.reshape(-1, C)."""
    shape, channels = item.x.shape, item.x.shape[1]
    column = np.arange(item.x.size) % channels

    def spread(values: np.ndarray | None) -> np.ndarray | None:
        return None if values is None else values.ravel()[column].reshape(shape)

    return replace(item, scale=spread(item.scale), shift=spread(item.shift))


def _stacks(
    context: Context, item: NormItem, labels: Labels, layer: Layer
) -> tuple[np.ndarray, np.ndarray | None]:
    """The variants' outputs, and for float32 inputs which of them float32 cannot settle."""
    stack = normalized(item, labels, layer)
    if item.x.dtype != np.float32:
        return stack, None
    rounded = normalized(item, labels, layer, np.float32)
    return stack, unstable(stack, rounded, *context.tolerances[item.unit[0]])


def unstable(stack: np.ndarray, rounded: np.ndarray, atol: float, rtol: float) -> np.ndarray:
    """Rows whose float32 computation differs from the float64 one beyond the tolerance: the
    mistake's own output is not determined at float32 precision there."""
    axes = tuple(range(1, stack.ndim))
    with np.errstate(invalid="ignore"):
        close = np.abs(rounded - stack) <= atol + rtol * np.abs(stack)
        return ~np.asarray((close | (np.isnan(stack) & np.isnan(rounded))).all(axis=axes), bool)


def _denominators(stat: np.ndarray, eps: float) -> np.ndarray:
    """(centering, count, eps variant, E), in the order of ``wording.DENOMINATORS``."""
    root = np.sqrt(stat)
    variants = [np.sqrt(stat + eps), root + eps, root, np.sqrt(stat - eps), stat + eps]
    return np.stack(variants, axis=2)


def _affine(xhat: np.ndarray, item: NormItem, option: str) -> np.ndarray:
    shape = item.x.shape
    if option == "swapped":  # gamma and beta exchanged: beta scales, gamma shifts
        if item.scale is None or item.shift is None:
            return np.full_like(xhat, np.nan)
        scale, shift = np.broadcast_to(item.shift, shape), np.broadcast_to(item.scale, shape)
        return np.asarray(xhat * scale.ravel() + shift.ravel())
    out = xhat
    if option in ("both", "scale") and item.scale is not None:
        out = out * np.broadcast_to(item.scale, shape).ravel()
    if option in ("both", "shift") and item.shift is not None:
        out = out + np.broadcast_to(item.shift, shape).ravel()
    return out


def _describe(
    layer: Layer, rules: Sequence[Rule], items: Sequence[NormItem], grid: tuple[int, ...], row: int
) -> tuple[Diagnosis, ...]:
    r, a, c, k, d = (int(i) for i in np.unravel_index(row, grid))
    subtracted = layer.centered == (c == 0)
    var = "var" if subtracted else "mean(x**2)"
    found = [
        grouping_diagnosis(layer, rules, items, r),
        wording.centering(subtracted, layer.centered, layer.name),
        wording.count(wording.COUNTS[k], subtracted, layer.name),
        wording.denominator(wording.DENOMINATORS[d], var, layer.name),
        wording.affine(layer.affine[a], layer.affine[0]),
    ]
    return tuple(f for f in found if f is not None)


def grouping_diagnosis(
    layer: Layer, rules: Sequence[Rule], items: Sequence[NormItem], index: int
) -> Diagnosis | None:
    """What the grouping ``rules[index]`` did, on the most telling input (None: the right one)."""
    if index == 0:
        return None
    rule, correct = rules[index], rules[0]
    shown = max(
        (i for i in items if _differs(rule, correct, i)),
        key=lambda i: _telling(rule, i),
        default=items[0],
    )
    text = wording.grouping(rule, correct, shown.x.shape, shown.param, layer)
    return Diagnosis(grouping_id(rule), text)


def _telling(rule: Rule, item: NormItem) -> tuple[int, ...]:
    """How well an input shows a grouping: (N, C, H, W) with no axis of size 1 for channel-first
    layers; for trailing ones the most leading axes."""
    shape = item.x.shape
    if isinstance(rule, TrailingRule):
        return (len(shape) - item.param, len(shape))
    return (len(shape) == 4, min(shape) > 1, item.param > 1, len(shape), -item.x.size)


def grouping_id(rule: Rule) -> str:
    """group-split-wrong for GroupNorm's channels grouped wrongly, else wrong-axes."""
    if isinstance(rule, ChannelRule) and not rule.batch and rule.spatial == "all":
        return "group-split-wrong" if rule.channels in ("swapped", "strided") else "wrong-axes"
    return "wrong-axes"


def _differs(rule: Rule, correct: Rule, item: NormItem) -> bool:
    mine = rule_signature(rule, item.x.shape, item.param)
    return mine is not None and mine != rule_signature(correct, item.x.shape, item.param)
