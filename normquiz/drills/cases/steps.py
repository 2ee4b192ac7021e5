"""Cases spanning several training steps: running statistics, momentum=None, a BatchNorm module."""

from __future__ import annotations

import numpy as np

from normquiz.drills.cases import Case, affine_params, normal_data, with_repeats

# name, per-step shape, dtype, steps, momentum
TRAIN_SHAPES: list[tuple[str, tuple[int, ...], str, int, float]] = [
    ("2d-3-steps", (8, 4), "float64", 3, 0.1),
    ("4d-odd-4-steps", (3, 2, 5, 3), "float32", 4, 0.1),
    ("momentum-0.3", (5, 3), "float64", 3, 0.3),
    ("n2-c1", (2, 1, 7), "float64", 3, 0.2),
]


@with_repeats
def batchnorm_train_steps(seed: int) -> list[Case]:
    """Several training steps with a running-statistics state (PyTorch momentum convention)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, steps, momentum in TRAIN_SHAPES:
        channels = shape[1]
        batches = [
            normal_data(rng, shape, dtype, rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
            for _ in range(steps)
        ]
        gamma, beta = affine_params(rng, channels, dtype)
        state: dict[str, object] = {
            "running_mean": rng.normal(0, 0.5, channels).astype(dtype),
            "running_var": rng.uniform(0.5, 2.0, channels).astype(dtype),
            "momentum": momentum,
            "eps": 1e-5,
        }
        cases.append(Case(name, dtype, [gamma, beta], steps=batches, state=state))
    return cases


# name, per-step shape, dtype, steps, batches already tracked
CUMULATIVE_SHAPES = [
    ("fresh-2d", (6, 3), "float64", 4, 0),
    ("fresh-4d", (2, 2, 3, 5), "float32", 3, 0),
    ("resumed", (5, 4), "float64", 3, 3),
    ("n2", (2, 2, 4), "float64", 4, 0),
]


@with_repeats
def batchnorm_cumulative(seed: int) -> list[Case]:
    """Training steps with momentum=None: running stats are a cumulative average."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, steps, tracked in CUMULATIVE_SHAPES:
        channels = shape[1]
        batches = [
            normal_data(rng, shape, dtype, rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
            for _ in range(steps)
        ]
        gamma, beta = affine_params(rng, channels, dtype)
        fresh = tracked == 0
        state: dict[str, object] = {
            "running_mean": (np.zeros(channels) if fresh else rng.normal(0, 1, channels)).astype(
                dtype
            ),
            "running_var": (np.ones(channels) if fresh else rng.uniform(0.5, 2, channels)).astype(
                dtype
            ),
            "momentum": None,
            "eps": 1e-5,
            "num_batches_tracked": tracked,
        }
        cases.append(Case(name, dtype, [gamma, beta], steps=batches, state=state))
    return cases


# name, x shape per step, steps, momentum; "defaults" builds BatchNorm2d(C) and nothing else:
# the promised eps=1e-5, momentum=0.1, weight ones and bias zeros
MODULE_SHAPES = [
    ("momentum-0.1", (4, 3, 5, 5), 3, 0.1),
    ("momentum-none", (2, 2, 3, 4), 3, None),
    ("defaults", (3, 2, 3, 4), 2, None),
    ("c1-momentum-0.3", (3, 1, 4, 6), 2, 0.3),
    ("n1-spatial", (1, 4, 3, 3), 2, 0.1),
]


@with_repeats
def batchnorm_module(seed: int) -> list[Case]:
    """Training batches with upstream gradients, then an eval batch, for a BatchNorm2d module."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, steps, momentum in MODULE_SHAPES:
        batches = [
            normal_data(rng, shape, "float64", rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
            for _ in range(steps)
        ]
        gamma, beta = affine_params(rng, shape[1], "float64")
        settings = {"defaults": True} if name == "defaults" else {"momentum": momentum, "eps": 1e-5}
        state: dict[str, object] = {
            **settings,
            "douts": [normal_data(rng, shape, "float64") for _ in range(steps)],
            "eval_x": normal_data(rng, (2, *shape[1:]), "float64", 1.0, 0.5),
        }
        cases.append(Case(name, "float64", [gamma, beta], steps=batches, state=state))
    return cases
