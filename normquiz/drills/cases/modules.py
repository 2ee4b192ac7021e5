"""Cases about torch modules themselves: parameter counts and the errors they raise."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import Case, with_repeats

FLAG_PAIRS = [(True, True), (True, False), (False, True), (False, False)]
Spec = dict[str, object]


@with_repeats
def module_specs(seed: int) -> list[Case]:
    """Normalization-layer configurations, random sizes with every combination of each
    layer's flags: inputs (spec,)."""
    rng = np.random.default_rng(seed)
    specs = [
        *_tracking_specs(rng, "BatchNorm", (1, 2, 3), 256),
        _fully_featured("BatchNorm2d", 64),
        *_tracking_specs(rng, "InstanceNorm", (1, 2), 64),
        _fully_featured("InstanceNorm2d", 16),
        *_elementwise_specs(rng),
        *_group_specs(rng),
    ]
    return [Case(f"{i}-{spec['layer']}", "float64", [spec]) for i, spec in enumerate(specs)]


def _tracking_specs(
    rng: np.random.Generator, family: str, dims: tuple[int, ...], most: int
) -> list[Spec]:
    """BatchNorm or InstanceNorm with each (affine, track_running_stats) pair."""
    return [
        {
            "layer": f"{family}{dims[i % len(dims)]}d",
            "num_features": int(rng.integers(1, most)),
            "affine": affine,
            "track_running_stats": track,
        }
        for i, (affine, track) in enumerate(FLAG_PAIRS)
    ]


def _fully_featured(layer: str, features: int) -> Spec:
    return {"layer": layer, "num_features": features, "affine": True, "track_running_stats": True}


def _elementwise_specs(rng: np.random.Generator) -> list[Spec]:
    """LayerNorm with each (elementwise_affine, bias) pair, RMSNorm with and without weight."""
    layer: list[Spec] = [
        {
            "layer": "LayerNorm",
            "normalized_shape": [int(v) for v in rng.integers(1, 20, size)],
            "elementwise_affine": affine,
            "bias": bias,
        }
        for size, (affine, bias) in zip((1, 2, 3, 2), FLAG_PAIRS, strict=True)
    ]
    layer.append(
        {"layer": "LayerNorm", "normalized_shape": [768], "elementwise_affine": True, "bias": True}
    )
    rms: list[Spec] = [
        {
            "layer": "RMSNorm",
            "normalized_shape": [int(rng.integers(1, 4096))],
            "elementwise_affine": affine,
        }
        for affine in (True, False)
    ]
    rms.append({"layer": "RMSNorm", "normalized_shape": [4, 8], "elementwise_affine": True})
    return layer + rms


def _group_specs(rng: np.random.Generator) -> list[Spec]:
    specs: list[Spec] = []
    for affine in (True, False):
        groups = int(rng.integers(1, 9))
        specs.append(
            {
                "layer": "GroupNorm",
                "num_groups": groups,
                "num_channels": groups * int(rng.integers(1, 9)),
                "affine": affine,
            }
        )
    specs.append({"layer": "GroupNorm", "num_groups": 32, "num_channels": 256, "affine": True})
    return specs


ERROR_SITUATIONS = [
    "batchnorm-train-one-value",
    "batchnorm-train-one-sample-spatial",
    "batchnorm-eval-one-sample",
    "groupnorm-indivisible",
    "instancenorm-one-element",
    "instancenorm-eval-one-element",
    "layernorm-shape-mismatch",
    "eval-without-running-buffers",
    "eval-untracked-module",
    "batchnorm-wrong-channels",
]


@with_repeats
def error_situations(_seed: int) -> list[Case]:
    """Inputs (situation,): the name of a snippet whose outcome the learner predicts (the
    same for every seed)."""
    return [Case(name, "float64", [name]) for name in ERROR_SITUATIONS]
