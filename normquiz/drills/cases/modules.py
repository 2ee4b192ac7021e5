"""Cases about torch modules themselves: parameter counts and the errors they raise."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import Case


def module_specs(seed: int) -> list[Case]:
    """Randomized normalization-layer configurations: inputs (spec,)."""
    rng = np.random.default_rng(seed)

    def flag() -> bool:
        return bool(rng.integers(0, 2))

    specs = [
        {
            "layer": f"BatchNorm{d}d",
            "num_features": int(rng.integers(1, 256)),
            "affine": flag(),
            "track_running_stats": flag(),
        }
        for d in (1, 2, 3)
    ]
    specs += [
        {"layer": "BatchNorm2d", "num_features": 64, "affine": True, "track_running_stats": True}
    ]
    specs += [
        {
            "layer": "LayerNorm",
            "normalized_shape": [int(v) for v in rng.integers(1, 20, size)],
            "elementwise_affine": flag(),
            "bias": flag(),
        }
        for size in (1, 2, 3)
    ]
    specs += [
        {"layer": "LayerNorm", "normalized_shape": [768], "elementwise_affine": True, "bias": True}
    ]
    groups = int(rng.integers(1, 9))
    specs += [
        {
            "layer": "GroupNorm",
            "num_groups": groups,
            "num_channels": groups * int(rng.integers(1, 9)),
            "affine": flag(),
        },
        {"layer": "GroupNorm", "num_groups": 32, "num_channels": 256, "affine": True},
    ]
    specs += [
        {
            "layer": f"InstanceNorm{d}d",
            "num_features": int(rng.integers(1, 64)),
            "affine": flag(),
            "track_running_stats": flag(),
        }
        for d in (1, 2)
    ]
    specs += [
        {"layer": "InstanceNorm2d", "num_features": 16, "affine": True, "track_running_stats": True}
    ]
    specs += [
        {
            "layer": "RMSNorm",
            "normalized_shape": [int(rng.integers(1, 4096))],
            "elementwise_affine": flag(),
        },
        {"layer": "RMSNorm", "normalized_shape": [4, 8], "elementwise_affine": True},
    ]
    return [Case(f"{i}-{spec['layer']}", "float64", [spec]) for i, spec in enumerate(specs)]


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


def error_situations(_seed: int) -> list[Case]:
    """Inputs (situation,): the name of a snippet whose outcome the learner predicts (the
    same for every seed)."""
    return [Case(name, "float64", [name]) for name in ERROR_SITUATIONS]
