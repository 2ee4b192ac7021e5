"""`normquiz explain`: which elements are normalized together (share one mean and variance;
for RMSNorm one mean square), drawn in text.

The figure follows Figure 2 of the Group Normalization paper (Wu & He, 2018): an
(N, C, H*W) block per layer, with one normalization set marked. Marks are characters
(`█`/`#` in the set, `·`/`.` outside), so the figure reads the same without colour, and
an ASCII variant is drawn where the terminal has no Unicode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

N, C, HW, GROUPS = 3, 6, 8, 3


@dataclass(frozen=True)
class Layer:
    name: str
    title: str
    axes: str
    sets: str
    call: str
    params: str
    buffers: str
    note: str
    statistics: str = "one mean and variance"  # what the elements of one set share

    def marked(self, n: int, c: int) -> bool:
        """Whether element (n, c, *) belongs to the set drawn for this layer."""
        return {
            "bn": c == 0,
            "ln": n == 0,
            "in": n == 0 and c == 0,
            "gn": n == 0 and c < C // GROUPS,
            "rms": n == 0,
        }[self.name]


LAYERS: dict[str, Layer] = {
    layer.name: layer
    for layer in [
        Layer(
            "bn",
            "BatchNorm",
            "over N, H and W, separately for each channel",
            "C sets of N*H*W values",
            "nn.BatchNorm2d(C)  /  F.batch_norm(x, running_mean, running_var, ...)",
            "2C learnable (gamma, beta per channel)",
            "running_mean (C), running_var (C), num_batches_tracked (1)",
            "Training uses the batch statistics; eval uses the running averages.",
        ),
        Layer(
            "ln",
            "LayerNorm",
            "over C, H and W (the trailing normalized_shape), separately for each sample",
            "N sets of C*H*W values",
            "nn.LayerNorm((C, H, W))  /  F.layer_norm(x, (C, H, W))",
            "2*C*H*W learnable (elementwise gamma, beta over the normalized shape)",
            "none",
            "In a Transformer, x is (N, L, D) and LayerNorm(D) normalizes each token over D.",
        ),
        Layer(
            "in",
            "InstanceNorm",
            "over H and W, separately for each sample and channel",
            "N*C sets of H*W values",
            "nn.InstanceNorm2d(C)  /  F.instance_norm(x)",
            "0 by default (affine=False); 2C with affine=True",
            "none by default (track_running_stats=False)",
            "Removes each image's per-channel contrast: the classic choice for style transfer.",
        ),
        Layer(
            "gn",
            "GroupNorm",
            f"over the channels of one group and H, W, separately for each sample "
            f"(here {GROUPS} groups of {C // GROUPS} channels)",
            "N*G sets of (C/G)*H*W values",
            "nn.GroupNorm(G, C)  /  F.group_norm(x, G)",
            "2C learnable (gamma, beta per channel)",
            "none",
            "G=1 gives LayerNorm's statistics, G=C gives InstanceNorm's; "
            "the paper's default is G=32.",
        ),
        Layer(
            "rms",
            "RMSNorm",
            "over the normalized trailing dims, separately for each sample; "
            "no mean is subtracted: x / sqrt(mean(x^2) + eps)",
            "N sets of C*H*W values; in a Transformer, one per token over D",
            "nn.RMSNorm((C, H, W))  /  F.rms_norm(x, (C, H, W))",
            "C*H*W learnable (a gain only, no bias); D for RMSNorm(D)",
            "none",
            "eps defaults to torch.finfo(x.dtype).eps when left as None.",
            "one mean square",
        ),
    ]
}


# Other names of the layers (compared without case, '-', '_' or spaces, and without a
# trailing 1d/2d/3d): `explain LayerNorm`, `--topic batchnorm`.
ALIASES = {
    "batchnorm": "bn",
    "layernorm": "ln",
    "instancenorm": "in",
    "groupnorm": "gn",
    "rmsnorm": "rms",
}


def layer_key(text: str) -> str:
    """The short name of a layer (bn, ln, in, gn, rms) for any spelling of it; any other
    text in lower case (a topic such as ``fusion``)."""
    lowered = text.strip().lower()
    word = re.sub(r"[123]d$", "", re.sub(r"[\s_-]", "", lowered))
    return ALIASES.get(word) or (word if word in LAYERS else lowered)


def marks(unicode: bool) -> tuple[str, str]:
    """(in the set, outside it)."""
    return ("█", "·") if unicode else ("#", ".")


def figure_rows(layer: Layer, unicode: bool = True) -> list[list[tuple[bool, str]]]:
    """Rows of (marked, text) cells: one row per channel, samples side by side."""
    inside, outside = marks(unicode)
    label_width = 12 if layer.name == "gn" else 7
    samples = "   ".join(f"n={n}".ljust(HW) for n in range(N)).rstrip()
    rows = [[(False, " " * label_width + samples)]]
    for c in range(C):
        label = f"  c={c} g{c // (C // GROUPS)}" if layer.name == "gn" else f"  c={c}"
        row: list[tuple[bool, str]] = [(False, label.ljust(label_width))]
        for n in range(N):
            marked = layer.marked(n, c)
            if n:
                row.append((False, "   "))
            row.append((marked, (inside if marked else outside) * HW))
        rows.append(row)
    axis = "   ".join("H*W ->".ljust(HW) for _ in range(N)).rstrip()
    rows.append([(False, " " * label_width + axis)])
    return rows


def describe(layer: Layer, unicode: bool = True) -> list[tuple[str, str]]:
    """The text below the figure as (label, value) pairs."""
    inside, _ = marks(unicode)
    return [
        (
            "Marked",
            f"{inside} = the elements that share {layer.statistics} (one of {layer.sets})",
        ),
        ("Reduces", layer.axes),
        ("PyTorch", layer.call),
        ("Parameters", layer.params),
        ("Buffers", layer.buffers),
        ("Note", layer.note),
    ]
