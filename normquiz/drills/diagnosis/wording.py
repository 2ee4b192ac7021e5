"""The computed explanations: what the code did, and what is right, one mistake at a time."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from normquiz.drills.diagnosis.groupings import (
    KNOWN_CHANNEL,
    ChannelRule,
    Rule,
    Shape,
    TrailingRule,
    axis_names,
    per,
)
from normquiz.drills.results import Diagnosis

DENOMINATORS = ("inside", "outside", "missing", "minus", "nosqrt")
COUNTS = (0, -1, 1)  # added to n, the number of values a statistic is computed from


def divisors(n: np.ndarray) -> np.ndarray:
    """(count variant, group): n, n - 1, n + 1; NaN where that is not positive (a division by
    zero: the variant is undefined there, whatever a guard in the learner's code makes of it)."""
    counts = n[None, :] + np.asarray(COUNTS, np.float64)[:, None]
    return np.where(counts > 0, counts, np.nan)


def grouping(rule: Rule, correct: Rule, shape: Shape, param: int, layer: Named) -> str:
    """Which elements shared a statistic in the submission, and in the layer."""
    if isinstance(rule, ChannelRule) and isinstance(correct, ChannelRule):
        mine, right = _channel_what(rule, shape, param), _channel_what(correct, shape, param)
        known = KNOWN_CHANNEL.get(rule)
        groups = f" with {param} group{'s' if param != 1 else ''}" if param else ""
        return (
            f"For an input of shape {shape}{groups} you reduced {mine}: one {layer.stat} "
            f"{per(rule.kept(shape, param))}{f', which is {known}' if known else ''}. "
            f"{layer.name} reduces {right}: one {per(correct.kept(shape, param))}."
        )
    if isinstance(rule, TrailingRule) and isinstance(correct, TrailingRule):
        return _trailing(rule, correct, shape, param, layer)
    raise TypeError("a rule and the correct rule of different kinds")


class Named(Protocol):
    """How a layer is named in a message."""

    @property
    def name(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def unit(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def stat(self) -> str: ...  # pragma: no cover - a protocol


def _channel_what(rule: ChannelRule, shape: Shape, groups: int) -> str:
    axes = rule.reduced_axes(shape)
    if axes is not None:
        return f"over axes {axes}"
    channels = shape[1]
    if rule.channels == "reshaped":
        affine = ", and applied gamma and beta to those columns" if rule.columns else ""
        return (
            f"over every {channels}-th element of the flattened input: x.reshape(-1, C) "
            f"without first moving the channel axis last mixes channels and positions{affine}"
        )
    how = {
        "each": "each channel alone",
        "all": "all channels",
        "groups": f"blocks of {channels // max(groups, 1)} consecutive channels",
        "swapped": f"blocks of {groups} consecutive channels ({channels // max(groups, 1)} groups: "
        "the number of groups and the channels per group swapped)",
        "strided": f"channels c, c + {groups}, c + {2 * groups}, ... together "
        f"(channels {groups} apart)",
    }[rule.channels]
    names = axis_names(len(shape))
    spatial, reduced = list(range(2, len(shape))), rule.spatial_reduced(shape)
    if rule.spatial == "chunks":
        where = f"and the positions split into {groups} blocks"
    elif spatial and reduced == spatial:
        where = "and all positions"
    elif not reduced:
        where = "at each position separately"
    else:
        where = f"and axes {', '.join(names[a] for a in reduced)}"
    return f"over {how} {where}{', across the batch' if rule.batch else ''}"


def _trailing(
    rule: TrailingRule, correct: TrailingRule, shape: Shape, dims: int, layer: Named
) -> str:
    axes, right = rule.reduced_axes_for(shape, dims), correct.reduced_axes_for(shape, dims)
    mixing = f" (mixing the {layer.unit}s along axis 0)" if axes and 0 in axes else ""
    known = (
        {
            TrailingRule("first", "none"): ", which is BatchNorm's grouping",
            TrailingRule("all", "none"): ", which is BatchNorm's grouping over every leading axis",
        }.get(rule, "")
        if layer.unit == "sample"
        else ""
    )  # activations, not weights
    return (
        f"For an input of shape {shape} with {dims} normalized dim{'s' * (dims > 1)} you reduced "
        f"over axes {axes}{mixing}{known}. {layer.name} reduces each {layer.unit} over its last "
        f"{dims} dim{'s' * (dims > 1)}, axes {right}."
    )


def denominator(how: str, var: str, layer: str, where: str = "") -> Diagnosis | None:
    """eps placement: inside the square root is right; the others are mistakes."""
    text = {
        "inside": None,
        "outside": ("eps-outside-sqrt", f"added eps outside the square root, sqrt({var}) + eps"),
        "missing": (
            "missing-eps",
            f"divided by sqrt({var}) with no eps inside the square root (eps keeps {var} = 0 "
            "finite and shifts every other result slightly)",
        ),
        "minus": ("eps-subtracted", f"subtracted eps, sqrt({var} - eps)"),
        "nosqrt": ("sqrt-missing", f"divided by {var} + eps, not by its square root"),
    }[how]
    if text is None:
        return None
    slug, did = text
    return Diagnosis(slug, f"{where or 'You'} {did}. {layer} uses sqrt({var} + eps).")


def count(offset: int, centered: bool, layer: str) -> Diagnosis | None:
    """n - 1 or n + 1 where the statistic divides by n."""
    if offset == 0:
        return None
    sums = "sum of squared deviations" if centered else "sum of squares"
    if offset < 0 and centered:
        return Diagnosis(
            "unbiased-variance",
            f"You divided the {sums} by n - 1 (the unbiased variance). {layer} normalizes with "
            "the biased variance: divide by n, the number of values each statistic covers.",
        )
    sign = "-" if offset < 0 else "+"
    right = "biased variance" if centered else "mean of squares"
    return Diagnosis(
        "divisor-off-by-one",
        f"You divided the {sums} by n {sign} 1. The {right} divides by n, the number of values "
        "each statistic covers.",
    )


def centering(subtracted: bool, layer_centers: bool, layer: str) -> Diagnosis | None:
    if subtracted == layer_centers:
        return None
    if layer_centers:
        return Diagnosis(
            "mean-not-subtracted",
            "You did not subtract the mean: you divided x by its root mean square, which is "
            f"RMSNorm. {layer} centers first: (x - mean) / sqrt(var + eps).",
        )
    return Diagnosis(
        "rms-mean-subtracted",
        "You subtracted the mean, which makes it LayerNorm without a bias. RMSNorm divides x "
        "itself by sqrt(mean(x**2) + eps).",
    )


def affine(option: str, correct: str) -> Diagnosis | None:
    """Which of the learnable scale and shift were left out."""
    if option == correct:
        return None
    if option == "swapped":
        return Diagnosis(
            "gamma-beta-swapped",
            "You scaled by beta and shifted by gamma: gamma multiplies the normalized values, "
            "beta is added after.",
        )
    if correct == "scale":
        text = "You did not multiply by weight: RMSNorm scales the normalized values by weight."
    else:
        text = {
            "none": "You returned the normalized values without gamma and beta: multiply by "
            "gamma, then add beta.",
            "scale": "You multiplied by gamma but did not add beta: add beta after the scaling.",
            "shift": "You added beta but did not multiply by gamma: scale by gamma, then add beta.",
        }[option]
    return Diagnosis("affine-missing", text)
