"""Cases for statistics themselves: stable variance, SyncBN combination, running-average
conventions."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import Case, normal_data, with_repeats

# name, x shape, dtype, shift (data = shift + scale * randn). In float64 E[x^2] - E[x]^2 keeps
# about 6 of 16 digits around 1e4 and 4 around 1e5: wrong there even after upcasting.
VARIANCE_SHAPES = [
    ("normal", (50, 3), "float64", 0.0),
    ("float32", (40, 4), "float32", 1.0),
    ("far-1e4", (512, 3), "float32", 1e4),
    ("far-1e4-float64", (1000, 3), "float64", 1e4),
    ("n1", (1, 3), "float64", 2.0),
    ("far-1e5", (300, 2), "float32", 1e5),
    ("c1", (64, 1), "float32", 1e4),
    ("far-1e5-float64", (256, 2), "float64", 1e5),
]
FAR = 1e3  # data shifted this far from zero is graded with the far tolerance


@with_repeats
def column_stats(seed: int) -> list[Case]:
    """Inputs (x,) for a per-column mean and biased variance."""
    rng = np.random.default_rng(seed)
    return [
        Case(
            name,
            dtype,
            [normal_data(rng, shape, dtype, rng.uniform(0.5, 2.0), shift)],
            far=shift >= FAR,
        )
        for name, shape, dtype, shift in VARIANCE_SHAPES
    ]


# name, per-device counts, channels
SYNC_SHAPES = [
    ("three-devices", (3, 7, 5), 4),
    ("unequal", (1, 12, 2, 9), 3),
    ("two-devices", (16, 16), 2),
    ("one-device", (10,), 3),
    ("shifted-means", (4, 6, 8), 2),
]


@with_repeats
def syncbn(seed: int) -> list[Case]:
    """Per-device (counts, means, biased variances); the raw data stays in the case for the
    reference."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, counts, channels in SYNC_SHAPES:
        spread = 5.0 if name == "shifted-means" else 0.5
        data = [
            rng.normal(rng.normal(0, spread, channels), rng.uniform(0.5, 2.0), (n, channels))
            for n in counts
        ]
        means = np.stack([d.mean(axis=0) for d in data])
        variances = np.stack([d.var(axis=0) for d in data])
        case = Case(name, "float64", [np.asarray(counts, dtype=np.int64), means, variances])
        case.state = {"data": data}
        cases.append(case)
    return cases


# name, channels, momentum, convention
EMA_SHAPES = [
    ("pytorch-0.1", 4, 0.1, "pytorch"),
    ("keras-0.99", 3, 0.99, "keras"),
    ("cs231n-0.9", 5, 0.9, "keras"),
    ("pytorch-0.3", 2, 0.3, "pytorch"),
    ("keras-0.2", 3, 0.2, "keras"),
    ("pytorch-1", 2, 1.0, "pytorch"),
]


@with_repeats
def ema_update(seed: int) -> list[Case]:
    """Inputs (running, batch_value, momentum, convention)."""
    rng = np.random.default_rng(seed)
    return [
        Case(name, "float64", [rng.normal(0, 1, c), rng.normal(2, 1, c), momentum, convention])
        for name, c, momentum, convention in EMA_SHAPES
    ]
