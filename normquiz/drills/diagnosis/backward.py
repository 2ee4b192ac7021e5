"""The backward family: dx, dgamma and dbeta of a normalization computed with other groupings,
divisors, eps placements (in x_hat and in dx's factor 1/std separately), formulas that drop
a term or move gamma out of the sums, and parameter gradients summed over other axes.

dx, dgamma and dbeta are separate candidates (each judged on its own output only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from normquiz.drills.diagnosis import wording
from normquiz.drills.diagnosis.context import Context, Unit
from normquiz.drills.diagnosis.groupings import Labels, Rule, rule_labels
from normquiz.drills.diagnosis.ledger import Finding, Ledger
from normquiz.drills.diagnosis.normalization import (
    Layer,
    NormItem,
    distinct_rules,
    grouping_diagnosis,
    grouping_id,
)
from normquiz.drills.results import Diagnosis

D = wording.DENOMINATORS
EPS_PAIRS = [(d, d) for d in D] + [("inside", d) for d in D[1:]]  # (in x_hat, in dx's 1/std)
FORMULAS = ("full", "exact", "constants", "no-mean", "no-var", "gamma-outside")
CHANNEL_PARAMS = ("all-but-channel", "batch-only")
TRAILING_PARAMS = ("leading", "normalized", "first")


@dataclass(frozen=True)
class BackItem:
    """One case of a backward drill: the units of dx, dgamma, dbeta and the inputs."""

    units: tuple[Unit, Unit, Unit]
    dout: np.ndarray
    x: np.ndarray
    gamma: np.ndarray  # broadcastable to x
    param: int  # groups, or normalized trailing dims
    eps: float
    params: tuple[str, ...]  # how dgamma and dbeta may be summed, the right way first

    def param_axes(self, option: str) -> tuple[int, ...]:
        cut = self.x.ndim - self.param
        return {
            "all-but-channel": (0, *range(2, self.x.ndim)),
            "batch-only": (0,),
            "leading": tuple(range(cut)),
            "normalized": tuple(range(cut, self.x.ndim)),
            "first": (0,),
        }[option]

    def as_norm(self) -> NormItem:
        return NormItem(self.units[0], self.x, self.param, self.gamma, None, self.eps)


def backward_findings(context: Context, layer: Layer, items: Sequence[BackItem]) -> list[Finding]:
    rules = distinct_rules(layer.rules, [i.as_norm() for i in items])
    params = items[0].params if items else ()
    dx_grid = (len(rules), len(FORMULAS), len(wording.COUNTS), len(EPS_PAIRS))
    dg_grid = (len(rules), len(params), len(wording.COUNTS), len(D))
    dx, dgamma, dbeta = (
        Ledger(context, int(np.prod(g))) for g in (dx_grid, dg_grid, (len(params),))
    )
    for item in items:
        for p, option in enumerate(params):
            summed = item.dout.astype(np.float64).sum(axis=item.param_axes(option))
            dbeta.record(np.asarray([p]), item.units[2], summed[None])
        for r, rule in enumerate(rules):
            labels = rule_labels(rule, item.x.shape, item.param)
            if labels is not None:
                _judge_rule(dx, dgamma, item, labels, r, (dx_grid, dg_grid))
    return (
        dx.findings(lambda row: _describe_dx(layer, rules, items, dx_grid, row))
        + dgamma.findings(lambda row: _describe_dgamma(layer, rules, items, dg_grid, row))
        + dbeta.findings(lambda row: _params(items, params[row]))
    )


def _judge_rule(
    dx: Ledger,
    dgamma: Ledger,
    item: BackItem,
    labels: Labels,
    rule: int,
    grids: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    dx_size, dg_size = (int(np.prod(g[1:])) for g in grids)
    dx_rows = np.arange(rule * dx_size, (rule + 1) * dx_size)
    dg_rows = np.arange(rule * dg_size, (rule + 1) * dg_size)
    if not (dx.alive(dx_rows) or dgamma.alive(dg_rows)):
        return
    parts = terms(item, labels)
    telling = rule == 0 or labels[1] < item.x.size  # not every element alone
    if dx.alive(dx_rows):
        stack = dx_variants(item, parts).reshape(-1, *item.x.shape)
        dx.record(dx_rows, item.units[0], stack, telling=telling)
    if dgamma.alive(dg_rows):
        per_option = len(wording.COUNTS) * len(D)
        xhat = parts.xhat.reshape(per_option, *item.x.shape)
        for p, option in enumerate(item.params):
            rows = dg_rows[p * per_option : (p + 1) * per_option]
            axes = tuple(a + 1 for a in item.param_axes(option))
            dgamma.record(rows, item.units[1], (item.dout * xhat).sum(axis=axes), telling=telling)


@dataclass(frozen=True)
class Terms:
    """The per-element pieces of the backward formulas, for every (count, eps) variant."""

    m: np.ndarray  # values per group, per element
    g: np.ndarray  # dout * gamma
    sum_g: np.ndarray
    sum_dout: np.ndarray
    den: np.ndarray  # (count, eps variant, E)
    xhat: np.ndarray  # (count, eps variant, E)
    sum_gx: np.ndarray  # sum(g * x_hat) per group, per element: (count, eps variant, E)
    sum_dx: np.ndarray  # sum(dout * x_hat), likewise


def terms(item: BackItem, labels: Labels) -> Terms:
    label, groups = labels
    x, dout = item.x.astype(np.float64).ravel(), item.dout.astype(np.float64).ravel()
    g = (item.dout * item.gamma).astype(np.float64).ravel()
    n = np.bincount(label, minlength=groups).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        centered = x - (np.bincount(label, x, groups) / n)[label]
        counts = wording.divisors(n)
        var = (np.bincount(label, centered * centered, groups)[None, :] / counts)[..., label]
        den = np.stack(
            [
                np.sqrt(var + item.eps),
                np.sqrt(var) + item.eps,
                np.sqrt(var),
                np.sqrt(var - item.eps),
                var + item.eps,
            ],
            axis=1,
        )
        xhat = centered / den
    flat = xhat.reshape(-1, x.size)

    def grouped(values: np.ndarray) -> np.ndarray:
        return np.stack([np.bincount(label, v, groups)[label] for v in values])

    return Terms(
        n[label],
        g,
        grouped(g[None])[0],
        grouped(dout[None])[0],
        den,
        xhat,
        grouped(flat * g).reshape(xhat.shape),
        grouped(flat * dout).reshape(xhat.shape),
    )


def dx_variants(item: BackItem, t: Terms) -> np.ndarray:
    """(formula, count, eps pair, E), in the order of FORMULAS."""
    hat = [D.index(a) for a, _ in EPS_PAIRS]
    scale = [D.index(b) for _, b in EPS_PAIRS]
    xhat, sum_gx, sum_dx, den = t.xhat[:, hat], t.sum_gx[:, hat], t.sum_dx[:, hat], t.den[:, scale]
    offset = np.asarray(wording.COUNTS, np.float64)[:, None, None]
    gamma = np.broadcast_to(item.gamma, item.x.shape).ravel()
    dout = item.dout.astype(np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        factor = 1.0 / (t.m * den)
        exact = t.m / (t.m + offset)
        return np.stack(
            [
                factor * (t.m * t.g - t.sum_g - xhat * sum_gx),
                factor * (t.m * t.g - t.sum_g - exact * xhat * sum_gx),
                np.broadcast_to(t.g / den, xhat.shape),
                factor * (t.m * t.g - xhat * sum_gx),
                factor * (t.m * t.g - t.sum_g),
                gamma * factor * (t.m * dout - t.sum_dout - xhat * sum_dx),
            ]
        )


def _describe_dx(
    layer: Layer, rules: Sequence[Rule], items: Sequence[BackItem], grid: tuple[int, ...], row: int
) -> tuple[Diagnosis, ...]:
    r, f, k, pair = (int(i) for i in np.unravel_index(row, grid))
    hat, scale = EPS_PAIRS[pair]
    found = [
        _grouping(layer, rules, items, r),
        _formula(FORMULAS[f], layer.name),
        wording.count(wording.COUNTS[k], True, layer.name),
        _eps(hat, scale, layer.name),
    ]
    return tuple(d for d in found if d is not None)


def _describe_dgamma(
    layer: Layer, rules: Sequence[Rule], items: Sequence[BackItem], grid: tuple[int, ...], row: int
) -> tuple[Diagnosis, ...]:
    r, p, k, e = (int(i) for i in np.unravel_index(row, grid))
    found = [
        _grouping(layer, rules, items, r),
        *_params(items, items[0].params[p]),
        wording.count(wording.COUNTS[k], True, layer.name),
        wording.denominator(D[e], "var", layer.name, "In your backward pass you"),
    ]
    return tuple(d for d in found if d is not None)


def _grouping(
    layer: Layer, rules: Sequence[Rule], items: Sequence[BackItem], index: int
) -> Diagnosis | None:
    found = grouping_diagnosis(layer, rules, [i.as_norm() for i in items], index)
    if found is None:
        return None
    text = found.message
    return Diagnosis(
        grouping_id(rules[index]), f"In your backward pass, {text[0].lower()}{text[1:]}"
    )


def _formula(formula: str, layer: str) -> Diagnosis | None:
    right = "dx = (1/std) / m * (m * g - sum(g) - x_hat * sum(g * x_hat)), g = dout * gamma"
    text = {
        "full": None,
        "exact": None,
        "constants": (
            "stats-treated-as-constants",
            "Your dx treats the mean and the variance "
            "as constants (dx = dout * gamma / std). Both depend on every x they are "
            f"computed from, which adds two terms: {right}.",
        ),
        "no-mean": (
            "mean-gradient-missing",
            f"Your dx leaves out the gradient through the mean, the - sum(g) term: {right}.",
        ),
        "no-var": (
            "variance-gradient-missing",
            "Your dx leaves out the gradient through the "
            f"variance, the - x_hat * sum(g * x_hat) term: {right}.",
        ),
        "gamma-outside": (
            "gamma-outside-sums",
            "You multiplied by gamma outside the sums, as "
            "BatchNorm's compact formula may (gamma is constant over a BatchNorm "
            f"channel). In {layer} gamma varies inside the group, so it goes "
            f"inside the sums: {right}.",
        ),
    }[formula]
    return None if text is None else Diagnosis(*text)


def _eps(hat: str, scale: str, layer: str) -> Diagnosis | None:
    if hat == scale:
        return wording.denominator(hat, "var", layer, "In your backward pass you")
    return wording.denominator(
        scale, "var", layer, "Your x_hat is right, but for dx's factor 1/std you"
    )


def _params(items: Sequence[BackItem], option: str) -> tuple[Diagnosis, ...]:
    if not items or option == items[0].params[0]:
        return ()
    telling = [i for i in items if i.param_axes(option) != i.param_axes(i.params[0])]
    if not telling:
        return ()
    shown = max(telling, key=lambda i: (i.x.ndim, i.x.size))
    axes, right = shown.param_axes(option), shown.param_axes(shown.params[0])
    return (
        Diagnosis(
            "wrong-axes",
            f"Your dgamma or dbeta sums over axes {axes} of a {shown.x.shape} input. gamma and "
            f"beta are shared by every element they scale, so sum over axes {right}.",
        ),
    )
