"""Which elements share one mean and variance: groupings of an input's elements, as rules that
apply to any number of dims, and the words that describe them.

Channel-first inputs (N, C, *spatial) are BatchNorm's, InstanceNorm's and GroupNorm's;
trailing inputs (*leading, *normalized) are LayerNorm's and RMSNorm's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

Shape = tuple[int, ...]
Labels = tuple[np.ndarray, int]  # group index per element (flattened), number of groups

SPLITS_BN = ("each", "all")
SPLITS_GN = ("each", "all", "groups", "swapped", "strided")
SPATIAL = ("all", "none", "first", "last", "but-last", "but-first")
LEADING = ("none", "all", "first", "but-first")
NORMALIZED = ("all", "none", "last", "but-last", "first", "but-first")


def _pick(axes: Sequence[int], how: str) -> list[int]:
    """A selection of ``axes``: all, none, first, last, all but the last, all but the first."""
    chosen = {
        "all": axes,
        "none": [],
        "first": axes[:1],
        "last": axes[-1:],
        "but-last": axes[:-1],
        "but-first": axes[1:],
    }[how]
    return list(chosen)


@dataclass(frozen=True)
class ChannelRule:
    """Statistics of an (N, C, *spatial) input: shared across samples or not, how channels
    are grouped, which spatial axes are reduced ("chunks": positions split in G blocks)."""

    batch: bool
    channels: str  # each, all, groups, swapped, strided; "reshaped": x.reshape(-1, C) columns
    spatial: str
    columns: bool = False  # gamma and beta applied to the columns of x.reshape(-1, C) too

    def labels(self, shape: Shape, groups: int) -> Labels | None:
        return _channel_labels(self, shape, groups)

    def reduced_axes(self, shape: Shape) -> tuple[int, ...] | None:
        """The reduced axes, when the grouping is a plain reduction over axes."""
        if self.channels not in ("each", "all") or self.spatial == "chunks":
            return None  # not a reduction over whole axes
        return tuple(
            [0] * self.batch + [1] * (self.channels == "all") + self.spatial_reduced(shape)
        )

    def spatial_reduced(self, shape: Shape) -> list[int]:
        """The spatial axes reduced whole (none when positions are split in blocks)."""
        return [] if self.spatial == "chunks" else _pick(list(range(2, len(shape))), self.spatial)

    def kept(self, shape: Shape, groups: int) -> list[str]:
        """What one statistic is computed for: sample, channel or group, positions."""
        if self.channels == "reshaped":
            return ["column of x.reshape(-1, C)"]
        names = axis_names(len(shape))
        parts = [] if self.batch else ["sample"]
        parts += {
            "each": ["channel"],
            "all": [],
            "groups": ["group"],
            "swapped": [f"block of {groups} channels"],
            "strided": [f"set of every {groups}-th channel"],
        }[self.channels]
        if self.spatial == "chunks":
            return [*parts, "block of positions"]
        spatial = list(range(2, len(shape)))
        kept = [a for a in spatial if a not in _pick(spatial, self.spatial)]
        if kept and kept == spatial:
            return [*parts, "position"]
        return parts + [f"{names[a]} index" for a in kept]


@dataclass(frozen=True)
class TrailingRule:
    """Statistics of a (*leading, *normalized) input: which leading and which normalized
    axes are reduced."""

    leading: str
    normalized: str

    def labels(self, shape: Shape, dims: int) -> Labels | None:
        axes = self.reduced_axes_for(shape, dims)
        return None if axes is None else _axis_labels(shape, axes)

    def reduced_axes_for(self, shape: Shape, dims: int) -> tuple[int, ...] | None:
        if not 0 < dims <= len(shape):
            return None
        cut = len(shape) - dims
        return tuple(
            _pick(list(range(cut)), self.leading)
            + _pick(list(range(cut, len(shape))), self.normalized)
        )


Rule = ChannelRule | TrailingRule


def channel_rules(splits: Sequence[str], spatial: Sequence[str]) -> list[ChannelRule]:
    """Every rule that reduces something."""
    return [
        ChannelRule(batch, split, where)
        for batch in (False, True)
        for split in splits
        for where in spatial
        if batch or split != "each" or where != "none"
    ]


def trailing_rules() -> list[TrailingRule]:
    return [TrailingRule(a, b) for a in LEADING for b in NORMALIZED if (a, b) != ("none", "none")]


@lru_cache(maxsize=4096)
def rule_labels(rule: Rule, shape: Shape, param: int) -> Labels | None:
    """The grouping of an input of this shape (``param``: groups, or normalized dims)."""
    found = rule.labels(shape, param)
    if found is not None:
        found[0].setflags(write=False)
    return found


@lru_cache(maxsize=4096)
def rule_signature(rule: Rule, shape: Shape, param: int) -> bytes | None:
    """The partition itself, whatever numbers name its groups."""
    labels = rule_labels(rule, shape, param)
    if labels is None:
        return None
    _, first, inverse = np.unique(labels[0], return_index=True, return_inverse=True)
    rank = np.empty(len(first), np.intp)
    rank[np.argsort(first)] = np.arange(len(first))
    return bytes(rank[inverse].astype(np.int32).tobytes())


def _axis_labels(shape: Shape, reduced: Sequence[int]) -> Labels:
    kept = [a for a in range(len(shape)) if a not in reduced]
    index = np.indices(shape, sparse=True)
    label: np.ndarray = np.zeros((1,) * len(shape), np.intp)
    for axis in kept:
        label = label * shape[axis] + index[axis]
    count = int(np.prod([shape[a] for a in kept], dtype=np.int64))
    return np.ascontiguousarray(np.broadcast_to(label, shape)).ravel(), count


def _channel_labels(rule: ChannelRule, shape: Shape, groups: int) -> Labels | None:
    if len(shape) < 2:
        return None
    if rule.channels == "reshaped":  # x.reshape(-1, C) with C not the last axis: columns
        size = int(np.prod(shape, dtype=np.int64))
        return np.arange(size, dtype=np.intp) % shape[1], shape[1]
    index = np.indices(shape, sparse=True)
    part = _channel_part(rule.channels, index[1], shape[1], groups)
    if part is None:
        return None
    label, count = (np.zeros((1,) * len(shape), np.intp), 1) if rule.batch else (index[0], shape[0])
    label, count = label * part[1] + part[0], count * part[1]
    spatial = list(range(2, len(shape)))
    if rule.spatial == "chunks":
        chunk = _chunk(index, shape, groups)
        if chunk is None:
            return None
        label, count = label * groups + chunk, count * groups
    else:
        for axis in [a for a in spatial if a not in _pick(spatial, rule.spatial)]:
            label, count = label * shape[axis] + index[axis], count * shape[axis]
    return np.ascontiguousarray(np.broadcast_to(label, shape)).ravel(), count


def _channel_part(how: str, channel: np.ndarray, c: int, groups: int) -> Labels | None:
    if how == "each":
        return channel, c
    if how == "all":
        return np.zeros_like(channel), 1
    if groups < 1 or c % groups:
        return None
    return {
        "groups": (channel // (c // groups), groups),
        "swapped": (channel // groups, c // groups),
        "strided": (channel % groups, groups),
    }[how]


def _chunk(index: Sequence[np.ndarray], shape: Shape, groups: int) -> np.ndarray | None:
    """Positions (flattened spatial index) split into ``groups`` consecutive blocks."""
    positions = int(np.prod(shape[2:], dtype=np.int64))
    if len(shape) < 3 or groups < 1 or positions % groups:
        return None
    flat: np.ndarray = np.zeros((1,) * len(shape), np.intp)
    for axis in range(2, len(shape)):
        flat = flat * shape[axis] + index[axis]
    return flat // (positions // groups)


def axis_names(ndim: int) -> tuple[str, ...]:
    spatial = {0: (), 1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}.get(
        ndim - 2, tuple(f"S{i}" for i in range(1, ndim - 1))
    )
    return ("N", "C", *spatial)


def per(parts: Sequence[str]) -> str:
    """'per channel', 'per (sample, group)', 'for the whole input'."""
    if not parts:
        return "for the whole input"
    return f"per {parts[0]}" if len(parts) == 1 else f"per ({', '.join(parts)})"


KNOWN_CHANNEL = {
    ChannelRule(True, "each", "all"): "BatchNorm's grouping",
    ChannelRule(
        False, "all", "all"
    ): "LayerNorm's grouping over (C, *spatial), GroupNorm's with one group",
    ChannelRule(False, "each", "all"): "InstanceNorm's grouping",
    ChannelRule(False, "groups", "all"): "GroupNorm's grouping",
}
