"""The folding family: eval-mode BatchNorm folded into the layer before it (or into a * x + b),
with the scale s = gamma / sqrt(running_var + eps), the weight and the bias each computed in
the ways they go wrong. Weight, bias and the fused layer's output are separate candidates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from normquiz.drills.diagnosis import wording
from normquiz.drills.diagnosis.context import Context, Unit
from normquiz.drills.diagnosis.ledger import Finding, Ledger
from normquiz.drills.results import Diagnosis

SCALES = ("right", "outside", "missing", "minus", "nosqrt", "inverted", "no-gamma")
WEIGHTS = ("scaled", "unscaled")
BIASES = (
    "right",
    "unscaled",
    "layer-bias-unscaled",
    "mean-unscaled",
    "mean-kept",
    "mean-kept-unscaled",
    "beta-missing",
    "layer-bias-dropped",
    "mean-added",
)
AFFINE_BIASES = ("right", "unscaled", "mean-kept", "beta-missing", "mean-added")


@dataclass(frozen=True)
class Words:
    """How a drill names the fold: the scale's symbol and the right formula."""

    s: str
    right: str


LAYER_FOLD = Words(
    "s", "new_bias = (b - running_mean) * s + beta, with s = gamma / sqrt(running_var + eps)"
)
AFFINE_FOLD = Words("a", "a = gamma / sqrt(running_var + eps) and b = beta - a * running_mean")


@dataclass(frozen=True)
class FoldItem:
    """One case: BatchNorm's statistics, the layer's weight and bias, where the outputs are.

    ``conv``: the fused layer's output without bias and BN, y0 = conv(x, weight), whose
    channel c the candidates scale by their s[c] and shift by their bias[c].
    """

    mean: np.ndarray
    var: np.ndarray
    gamma: np.ndarray
    beta: np.ndarray
    eps: float
    weight: np.ndarray | None
    bias: np.ndarray  # zeros when the layer has none
    units: dict[str, Unit]
    conv: np.ndarray | None = None


def scales(item: FoldItem) -> np.ndarray:
    """(scale variant, C) in the order of SCALES."""
    var, gamma, eps = item.var.astype(np.float64), item.gamma.astype(np.float64), item.eps
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(var + eps)
        return np.stack(
            [
                gamma / root,
                gamma / (np.sqrt(var) + eps),
                gamma / np.sqrt(var),
                gamma / np.sqrt(var - eps),
                gamma / (var + eps),
                gamma * root,
                1.0 / root,
            ]
        )


def biases(item: FoldItem, s: np.ndarray, forms: Sequence[str]) -> np.ndarray:
    """(scale variant, bias form, C)."""
    b, mean, beta = item.bias.astype(np.float64), item.mean.astype(np.float64), item.beta
    values = {
        "right": (b - mean) * s + beta,
        "unscaled": b - mean + beta + 0 * s,
        "layer-bias-unscaled": b + beta - mean * s,
        "mean-unscaled": b * s + beta - mean,
        "mean-kept": b * s + beta,
        "mean-kept-unscaled": b + beta + 0 * s,
        "beta-missing": (b - mean) * s,
        "layer-bias-dropped": beta - mean * s,
        "mean-added": (b + mean) * s + beta,
    }
    return np.stack([values[f] for f in forms], axis=1)


def weights(item: FoldItem, s: np.ndarray) -> np.ndarray:
    """(scale variant, weight form, *weight shape)."""
    if item.weight is None:
        return s[:, None, :]
    w = item.weight.astype(np.float64)
    shape = (len(s), -1) + (1,) * (w.ndim - 1)
    scaled = w[None] * s.reshape(shape)
    return np.stack([scaled, np.broadcast_to(w, scaled.shape)], axis=1)


def folding_findings(
    context: Context, items: Sequence[FoldItem], forms: Sequence[str]
) -> list[Finding]:
    wforms = WEIGHTS if items and items[0].weight is not None else WEIGHTS[:1]
    grids = {
        "weight": (len(SCALES), len(wforms)),
        "bias": (len(SCALES), len(forms)),
        "output": (len(SCALES), len(wforms), len(forms)),
    }
    ledgers = {name: Ledger(context, int(np.prod(grid))) for name, grid in grids.items()}
    for item in items:
        s = scales(item)
        stacks = {"weight": weights(item, s), "bias": biases(item, s, forms)}
        if item.conv is not None:
            stacks["output"] = _outputs(item.conv, s, stacks["bias"])
        for name, stack in stacks.items():
            if name in item.units:
                grid = grids[name]
                flat = stack.reshape(int(np.prod(grid)), *stack.shape[len(grid) :])
                ledgers[name].record(np.arange(len(flat)), item.units[name], flat)
    return [
        finding
        for name, ledger in ledgers.items()
        for finding in ledger.findings(partial(_describe, grids[name], wforms, forms, name))
    ]


def _outputs(y0: np.ndarray, s: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(scale, weight form, bias form, *output): channel c of y0 = conv(x, weight) scaled by
    s[c] (or not), plus the bias."""
    shape = (1, -1) + (1,) * (y0.ndim - 2)
    factors = np.stack([s, np.ones_like(s)], axis=1)
    scaled = y0.astype(np.float64)[None, None] * factors.reshape(*factors.shape[:2], *shape)
    return np.asarray(scaled[:, :, None] + b.reshape(b.shape[0], 1, b.shape[1], *shape))


def _describe(
    grid: tuple[int, ...], wforms: Sequence[str], forms: Sequence[str], name: str, row: int
) -> tuple[Diagnosis, ...]:
    index = [int(i) for i in np.unravel_index(row, grid)]
    scale = SCALES[index[0]]
    wform = wforms[index[1]] if name in ("weight", "output") else "scaled"
    form = forms[index[-1]] if name in ("bias", "output") else "right"
    words = LAYER_FOLD if "layer-bias-dropped" in forms else AFFINE_FOLD  # a layer has a bias b
    found = [_scale(scale, words), _weight(wform), *_bias(form, words)]
    return tuple(d for d in found if d is not None)


def _scale(scale: str, words: Words) -> Diagnosis | None:
    if scale in ("outside", "missing", "minus", "nosqrt"):
        return wording.denominator(scale, "running_var", "BatchNorm")
    formula = f"{words.s} = gamma / sqrt(running_var + eps)"
    return {
        "right": None,
        "inverted": Diagnosis(
            "scale-inverted",
            f"You multiplied by sqrt(running_var + eps) instead of dividing by it: {formula}.",
        ),
        "no-gamma": Diagnosis(
            "affine-missing", f"Your scale {words.s} leaves out gamma: {formula}."
        ),
    }[scale]


def _weight(form: str) -> Diagnosis | None:
    if form == "scaled":
        return None
    return Diagnosis(
        "weight-unscaled",
        "You left the weight unscaled. BatchNorm scales output "
        "channel c by s[c], so every row (filter) of the weight is multiplied by "
        "s: new_weight = weight * s per output channel.",
    )


def _bias(form: str, words: Words) -> list[Diagnosis]:
    unscaled, s, right = "fusion-bias-unscaled", words.s, words.right
    what = "running_mean" if words is AFFINE_FOLD else "(b - running_mean)"
    texts = {
        "right": [],
        "unscaled": [
            (
                unscaled,
                f"You subtracted {what} without scaling it by {s}: BatchNorm "
                f"multiplies everything it receives by {s}. {right}.",
            )
        ],
        "layer-bias-unscaled": [
            (
                unscaled,
                "You added the layer's bias b unscaled: BatchNorm "
                f"scales it by {s} like the rest of its input. {right}.",
            )
        ],
        "mean-unscaled": [
            (
                unscaled,
                f"You subtracted running_mean without scaling it by {s}: "
                f"BatchNorm subtracts the mean before it scales. {right}.",
            )
        ],
        "mean-kept": [("mean-not-subtracted", f"You forgot the running mean. {right}.")],
        "mean-kept-unscaled": [
            ("mean-not-subtracted", f"You forgot the running mean. {right}."),
            (unscaled, f"You added the bias b without scaling it by {s}."),
        ],
        "beta-missing": [("affine-missing", f"Your shift leaves out beta. {right}.")],
        "layer-bias-dropped": [
            (
                "layer-bias-dropped",
                f"You dropped the layer's own bias b; it passes through BatchNorm too. {right}.",
            )
        ],
        "mean-added": [
            ("mean-sign-flipped", f"You added running_mean; BatchNorm subtracts it. {right}.")
        ],
    }[form]
    return [Diagnosis(slug, text) for slug, text in texts]
