"""Generated test cases: the shapes, dtypes and data that break wrong normalization code.

Every generator is deterministic for a seed. A case holds plain numpy inputs; the
protocol (normquiz.drills.protocols) decides how they are passed to the learner.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Case:
    name: str
    dtype: str                                   # "float32" or "float64"
    args: list[object]                           # positional arguments (arrays or floats)
    steps: list[np.ndarray] = field(default_factory=list)  # train_steps: one batch per step
    state: dict[str, object] = field(default_factory=dict)  # train_steps: the initial state
    far: bool = False                            # data far from zero: float32 tolerance widened


def _affine(rng: np.random.Generator, channels: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    gamma = rng.uniform(0.5, 1.5, channels).astype(dtype)
    beta = rng.normal(0.0, 1.0, channels).astype(dtype)
    return gamma, beta


def _data(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, scale: float = 1.0,
          shift: float = 0.0) -> np.ndarray:
    return (shift + scale * rng.standard_normal(shape)).astype(dtype)


# name, shape, dtype, scale, shift, eps, constant channel
BATCH_SHAPES: list[tuple[str, tuple[int, ...], str, float, float, float, bool]] = [
    ("2d", (8, 5), "float64", 2.0, 1.0, 1e-5, False),
    ("2d-float32", (16, 3), "float32", 1.0, 0.5, 1e-5, False),
    ("3d-odd", (4, 3, 7), "float64", 1.5, -1.0, 1e-5, False),
    ("4d-odd", (2, 4, 5, 3), "float32", 1.0, 0.0, 1e-5, False),
    ("5d", (2, 2, 3, 1, 5), "float64", 1.0, 2.0, 1e-5, False),
    ("n1-spatial", (1, 3, 5, 7), "float64", 1.0, 0.0, 1e-5, False),
    ("n2", (2, 6), "float64", 3.0, 0.0, 1e-5, False),
    ("c1", (6, 1, 4, 4), "float32", 1.0, 0.0, 1e-5, False),
    ("constant-channel", (5, 3, 4), "float64", 1.0, 0.0, 1e-5, True),
    ("tiny", (8, 4), "float64", 1e-4, 0.0, 1e-5, False),
    ("large-eps", (6, 3), "float64", 1.0, 0.0, 0.1, False),
    ("far-from-zero", (64, 3, 5), "float32", 1.0, 1e4, 1e-5, False),
]


def batchnorm(seed: int) -> list[Case]:
    """Inputs (x, gamma, beta, eps) for training-mode BatchNorm."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, scale, shift, eps, constant in BATCH_SHAPES:
        x = _data(rng, shape, dtype, scale, shift)
        if constant:
            x[:, 1] = np.asarray(0.75, dtype)
        gamma, beta = _affine(rng, shape[1], dtype)
        cases.append(Case(name, dtype, [x, gamma, beta, eps], far=shift >= 1e3))
    return cases


# name, per-step shape, dtype, steps, momentum
TRAIN_SHAPES: list[tuple[str, tuple[int, ...], str, int, float]] = [
    ("2d-3-steps", (8, 4), "float64", 3, 0.1),
    ("4d-odd-4-steps", (3, 2, 5, 3), "float32", 4, 0.1),
    ("momentum-0.3", (5, 3), "float64", 3, 0.3),
    ("n2-c1", (2, 1, 7), "float64", 3, 0.2),
]


def batchnorm_train_steps(seed: int) -> list[Case]:
    """Several training steps with a running-statistics state (PyTorch momentum convention)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, steps, momentum in TRAIN_SHAPES:
        channels = shape[1]
        batches = [_data(rng, shape, dtype, rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
                   for _ in range(steps)]
        gamma, beta = _affine(rng, channels, dtype)
        state = {"running_mean": rng.normal(0, 0.5, channels).astype(dtype),
                 "running_var": rng.uniform(0.5, 2.0, channels).astype(dtype),
                 "momentum": momentum, "eps": 1e-5}
        cases.append(Case(name, dtype, [gamma, beta], steps=batches, state=state))
    return cases


def _scaled(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, kind: str) -> np.ndarray:
    """Data of a kind: normal, far (around 1e4), tiny (1e-4 scale)."""
    scale, shift = {"normal": (rng.uniform(0.5, 3.0), rng.uniform(-2, 2)), "far": (1.0, 1e4),
                    "tiny": (1e-4, 0.0)}[kind]
    return _data(rng, shape, dtype, scale, shift)


# name, x shape, dtype, data kind, eps, running stats as (scale of mean, range of var)
EVAL_SHAPES = [
    ("2d", (8, 5), "float64", "normal", 1e-5), ("n1", (1, 4), "float64", "normal", 1e-5),
    ("4d-odd", (2, 3, 5, 7), "float32", "normal", 1e-5), ("3d", (3, 2, 9), "float64", "normal", 1e-5),
    ("c1", (4, 1, 3, 3), "float32", "normal", 1e-5), ("large-eps", (5, 3), "float64", "normal", 0.5),
    ("small-var", (6, 4), "float64", "tiny", 1e-3),
]


def batchnorm_eval(seed: int) -> list[Case]:
    """Inputs (x, running_mean, running_var, gamma, beta, eps) for inference-mode BatchNorm."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, kind, eps in EVAL_SHAPES:
        x = _scaled(rng, shape, dtype, kind)
        channels = shape[1]
        mean = rng.normal(0, 1, channels).astype(dtype)
        var = rng.uniform(0.2, 3.0, channels).astype(dtype) * (1e-6 if kind == "tiny" else 1.0)
        gamma, beta = _affine(rng, channels, dtype)
        cases.append(Case(name, dtype, [x, mean, var, gamma, beta, eps]))
    return cases


# name, x shape, number of normalized trailing dims, dtype, data kind, eps
LAYER_SHAPES = [
    ("2d", (4, 10), 1, "float64", "normal", 1e-5), ("tokens", (2, 5, 7), 1, "float32", "normal", 1e-5),
    ("two-dims", (2, 3, 5), 2, "float64", "normal", 1e-5), ("images", (2, 3, 4, 5), 3, "float64", "normal", 1e-5),
    ("n1", (1, 8), 1, "float64", "normal", 1e-5), ("d1", (3, 1), 1, "float64", "normal", 1e-5),
    ("constant-row", (3, 6), 1, "float64", "normal", 1e-5), ("large-eps", (4, 6), 1, "float64", "normal", 0.5),
    ("tiny", (4, 9), 1, "float64", "tiny", 1e-5), ("far-from-zero", (4, 256), 1, "float32", "far", 1e-5),
]


def layernorm(seed: int) -> list[Case]:
    """Inputs (x, gamma, beta, eps); gamma/beta cover the trailing normalized dims."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dims, dtype, kind, eps in LAYER_SHAPES:
        x = _scaled(rng, shape, dtype, kind)
        if name == "constant-row":
            x[1] = np.asarray(2.5, dtype)
        normalized = shape[-dims:]
        gamma = rng.uniform(0.5, 1.5, normalized).astype(dtype)
        beta = rng.normal(0, 1, normalized).astype(dtype)
        cases.append(Case(name, dtype, [x, gamma, beta, eps], far=kind == "far"))
    return cases


# name, x shape, groups, dtype, data kind, eps
GROUP_SHAPES = [
    ("4d", (2, 6, 4, 5), 3, "float64", "normal", 1e-5), ("3d", (1, 4, 7), 2, "float64", "normal", 1e-5),
    ("no-spatial", (3, 8), 4, "float64", "normal", 1e-5), ("one-group", (2, 6, 3, 3), 1, "float64", "normal", 1e-5),
    ("group-per-channel", (2, 6, 5), 6, "float64", "normal", 1e-5),
    ("float32-odd", (2, 4, 3, 5), 2, "float32", "normal", 1e-5),
    ("large-eps", (2, 4, 3), 2, "float64", "normal", 0.5),
    ("far-from-zero", (2, 4, 16, 16), 2, "float32", "far", 1e-5),
]


def groupnorm(seed: int) -> list[Case]:
    """Inputs (x, num_groups, gamma, beta, eps) with gamma, beta of shape (C,)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, groups, dtype, kind, eps in GROUP_SHAPES:
        x = _scaled(rng, shape, dtype, kind)
        gamma, beta = _affine(rng, shape[1], dtype)
        cases.append(Case(name, dtype, [x, groups, gamma, beta, eps], far=kind == "far"))
    return cases


# name, x shape, dtype, data kind, eps
INSTANCE_SHAPES = [
    ("4d", (2, 3, 4, 5), "float64", "normal", 1e-5), ("h-not-w", (1, 2, 3, 7), "float32", "normal", 1e-5),
    ("1d", (2, 4, 9), "float64", "normal", 1e-5), ("3d", (2, 2, 3, 2, 4), "float64", "normal", 1e-5),
    ("c1", (3, 1, 5, 5), "float64", "normal", 1e-5), ("large-eps", (2, 3, 6), "float64", "normal", 0.5),
    ("constant-map", (2, 3, 4, 4), "float64", "normal", 1e-5),
    ("far-from-zero", (2, 2, 16, 16), "float32", "far", 1e-5),
]


def instancenorm(seed: int) -> list[Case]:
    """Inputs (x, eps) for InstanceNorm without affine parameters."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, kind, eps in INSTANCE_SHAPES:
        x = _scaled(rng, shape, dtype, kind)
        if name == "constant-map":
            x[0, 1] = np.asarray(-1.25, dtype)
        cases.append(Case(name, dtype, [x, eps], far=kind == "far"))
    return cases


# name, x shape, number of normalized trailing dims, dtype, data kind, eps
RMS_SHAPES = [
    ("2d", (4, 8), 1, "float64", "normal", 1e-6), ("tokens", (2, 3, 6), 1, "float32", "normal", 1e-6),
    ("two-dims", (2, 3, 4), 2, "float64", "normal", 1e-6), ("n1", (1, 5), 1, "float64", "normal", 1e-6),
    ("zero-row", (3, 4), 1, "float64", "normal", 1e-6), ("large-eps", (3, 5), 1, "float64", "normal", 0.5),
    ("tiny", (4, 6), 1, "float64", "tiny", 1e-6), ("shifted", (3, 7), 1, "float64", "normal", 1e-6),
]


def rmsnorm(seed: int) -> list[Case]:
    """Inputs (x, weight, eps); weight covers the trailing normalized dims."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dims, dtype, kind, eps in RMS_SHAPES:
        x = _scaled(rng, shape, dtype, kind)
        if name == "zero-row":
            x[1] = 0
        if name == "shifted":
            x += np.asarray(3.0, dtype)  # a mean far from zero: subtracting it changes the result
        weight = rng.uniform(0.5, 1.5, shape[-dims:]).astype(dtype)
        cases.append(Case(name, dtype, [x, weight, eps]))
    return cases


# name, x shape, dtype, shift (data = shift + scale * randn)
VARIANCE_SHAPES = [
    ("normal", (50, 3), "float64", 0.0), ("float32", (40, 4), "float32", 1.0),
    ("far-1e4", (512, 3), "float32", 1e4), ("far-1e5", (300, 2), "float32", 1e5),
    ("n1", (1, 3), "float64", 2.0), ("c1", (64, 1), "float32", 1e4),
]


def column_stats(seed: int) -> list[Case]:
    """Inputs (x,) for a per-column mean and biased variance."""
    rng = np.random.default_rng(seed)
    return [Case(name, dtype, [_data(rng, shape, dtype, rng.uniform(0.5, 2.0), shift)])
            for name, shape, dtype, shift in VARIANCE_SHAPES]


# name, per-device counts, channels
SYNC_SHAPES = [("three-devices", (3, 7, 5), 4), ("unequal", (1, 12, 2, 9), 3),
               ("two-devices", (16, 16), 2), ("one-device", (10,), 3), ("shifted-means", (4, 6, 8), 2)]


def syncbn(seed: int) -> list[Case]:
    """Per-device (counts, means, biased variances); the raw data stays in the case for the reference."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, counts, channels in SYNC_SHAPES:
        spread = 5.0 if name == "shifted-means" else 0.5
        data = [rng.normal(rng.normal(0, spread, channels), rng.uniform(0.5, 2.0), (n, channels))
                for n in counts]
        means = np.stack([d.mean(axis=0) for d in data])
        variances = np.stack([d.var(axis=0) for d in data])
        case = Case(name, "float64", [np.asarray(counts, dtype=np.int64), means, variances])
        case.state = {"data": data}
        cases.append(case)
    return cases


# name, per-step shape, dtype, steps, batches already tracked
CUMULATIVE_SHAPES = [("fresh-2d", (6, 3), "float64", 4, 0), ("fresh-4d", (2, 2, 3, 5), "float32", 3, 0),
                     ("resumed", (5, 4), "float64", 3, 3), ("n2", (2, 2, 4), "float64", 4, 0)]


def batchnorm_cumulative(seed: int) -> list[Case]:
    """Training steps with momentum=None: running stats are a cumulative average."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, steps, tracked in CUMULATIVE_SHAPES:
        channels = shape[1]
        batches = [_data(rng, shape, dtype, rng.uniform(0.5, 3.0), rng.uniform(-2, 2)) for _ in range(steps)]
        gamma, beta = _affine(rng, channels, dtype)
        fresh = tracked == 0
        state = {"running_mean": (np.zeros(channels) if fresh else rng.normal(0, 1, channels)).astype(dtype),
                 "running_var": (np.ones(channels) if fresh else rng.uniform(0.5, 2, channels)).astype(dtype),
                 "momentum": None, "eps": 1e-5, "num_batches_tracked": tracked}
        cases.append(Case(name, dtype, [gamma, beta], steps=batches, state=state))
    return cases


# name, x shape, dtype, eps
BACKWARD_SHAPES = [
    ("2d", (8, 5), "float64", 1e-5), ("2d-float32", (16, 3), "float32", 1e-5),
    ("3d-odd", (4, 3, 7), "float64", 1e-5), ("4d-odd", (2, 4, 5, 3), "float64", 1e-5),
    ("n1-spatial", (1, 3, 5, 7), "float64", 1e-5), ("n2", (2, 6), "float64", 1e-5),
    ("c1", (6, 1, 4, 4), "float32", 1e-5), ("large-eps", (6, 3), "float64", 0.5),
    ("constant-channel", (5, 3, 4), "float64", 1e-5), ("tiny", (8, 4), "float64", 1e-5),
]


def batchnorm_backward(seed: int) -> list[Case]:
    """Inputs (dout, x, gamma, eps) for the training-mode BatchNorm backward pass."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dtype, eps in BACKWARD_SHAPES:
        x = _data(rng, shape, dtype, 1e-4 if name == "tiny" else rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
        if name == "constant-channel":
            x[:, 1] = np.asarray(0.5, dtype)
        dout = _data(rng, shape, dtype)
        gamma, _ = _affine(rng, shape[1], dtype)
        cases.append(Case(name, dtype, [dout, x, gamma, eps]))
    return cases


# name, x shape, normalized trailing dims, dtype, eps
LAYER_BACKWARD_SHAPES = [
    ("2d", (4, 10), 1, "float64", 1e-5), ("tokens", (2, 5, 7), 1, "float32", 1e-5),
    ("two-dims", (2, 3, 5), 2, "float64", 1e-5), ("n1", (1, 8), 1, "float64", 1e-5),
    ("large-eps", (4, 6), 1, "float64", 0.5), ("images", (2, 3, 4, 5), 3, "float64", 1e-5),
    ("constant-row", (3, 6), 1, "float64", 1e-5), ("tiny", (4, 9), 1, "float64", 1e-5),
]


def layernorm_backward(seed: int) -> list[Case]:
    """Inputs (dout, x, gamma, eps) for the LayerNorm backward pass."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, dims, dtype, eps in LAYER_BACKWARD_SHAPES:
        x = _data(rng, shape, dtype, 1e-4 if name == "tiny" else rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
        if name == "constant-row":
            x[1] = np.asarray(-0.75, dtype)
        dout = _data(rng, shape, dtype)
        gamma = rng.uniform(0.5, 1.5, shape[-dims:]).astype(dtype)
        cases.append(Case(name, dtype, [dout, x, gamma, eps]))
    return cases


def _bn_stats(rng: np.random.Generator, channels: int, dtype: str) -> list[np.ndarray]:
    """running_mean, running_var, gamma, beta of a trained-looking BatchNorm."""
    return [rng.normal(0, 1, channels).astype(dtype), rng.uniform(0.2, 3.0, channels).astype(dtype),
            rng.uniform(0.5, 1.5, channels).astype(dtype), rng.normal(0, 1, channels).astype(dtype)]


# name, (out, in) features, with bias, dtype, eps
LINEAR_FOLD_SHAPES = [("bias", (4, 6), True, "float64", 1e-5), ("no-bias", (3, 5), False, "float64", 1e-5),
                      ("square", (5, 5), True, "float32", 1e-5), ("large-eps", (2, 3), True, "float64", 0.5),
                      ("one-output", (1, 4), True, "float64", 1e-5)]


def linear_bn_fold(seed: int) -> list[Case]:
    """Inputs (weight, bias or None, running_mean, running_var, gamma, beta, eps)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, (out, inp), with_bias, dtype, eps in LINEAR_FOLD_SHAPES:
        weight = _data(rng, (out, inp), dtype)
        bias = _data(rng, (out,), dtype) if with_bias else None
        cases.append(Case(name, dtype, [weight, bias, *_bn_stats(rng, out, dtype), eps]))
    return cases


# name, in channels, out channels, kernel, groups, bias, eps
CONV_FOLD_SHAPES = [("bias", 3, 4, 3, 1, True, 1e-5), ("no-bias", 2, 5, 3, 1, False, 1e-5),
                    ("groups-2", 4, 6, 3, 2, True, 1e-5), ("depthwise", 3, 3, 1, 3, False, 1e-5),
                    ("large-eps", 2, 2, 1, 1, True, 0.5)]


def conv_bn_fold(seed: int) -> list[Case]:
    """Conv and BN parameters; state['x'] is an input batch to run both models on."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, cin, cout, kernel, groups, with_bias, eps in CONV_FOLD_SHAPES:
        weight = _data(rng, (cout, cin // groups, kernel, kernel), "float64", 0.5)
        bias = _data(rng, (cout,), "float64") if with_bias else None
        case = Case(name, "float64", [weight, bias, *_bn_stats(rng, cout, "float64"), eps])
        case.state = {"groups": groups, "x": _data(rng, (2, cin, 6, 5), "float64")}
        cases.append(case)
    return cases


GROUP_BACKWARD_SHAPES = [("4d", (2, 6, 3, 4), 3, "float64", 1e-5), ("3d", (1, 4, 5), 2, "float64", 1e-5),
                         ("one-group", (2, 4, 3), 1, "float64", 1e-5), ("per-channel", (2, 3, 4), 3, "float64", 1e-5),
                         ("float32", (2, 4, 2, 3), 2, "float32", 1e-5), ("large-eps", (2, 4, 3), 2, "float64", 0.5)]


def groupnorm_backward(seed: int) -> list[Case]:
    """Inputs (dout, x, num_groups, gamma, eps) for the GroupNorm backward pass."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, groups, dtype, eps in GROUP_BACKWARD_SHAPES:
        x = _data(rng, shape, dtype, rng.uniform(0.5, 3.0), rng.uniform(-2, 2))
        gamma, _ = _affine(rng, shape[1], dtype)
        cases.append(Case(name, dtype, [_data(rng, shape, dtype), x, groups, gamma, eps]))
    return cases


# name, channels, momentum, convention
EMA_SHAPES = [("pytorch-0.1", 4, 0.1, "pytorch"), ("keras-0.99", 3, 0.99, "keras"),
              ("cs231n-0.9", 5, 0.9, "keras"), ("pytorch-0.3", 2, 0.3, "pytorch"),
              ("keras-0.2", 3, 0.2, "keras"), ("pytorch-1", 2, 1.0, "pytorch")]


def ema_update(seed: int) -> list[Case]:
    """Inputs (running, batch_value, momentum, convention)."""
    rng = np.random.default_rng(seed)
    return [Case(name, "float64", [rng.normal(0, 1, c), rng.normal(2, 1, c), momentum, convention])
            for name, c, momentum, convention in EMA_SHAPES]


def module_specs(seed: int) -> list[Case]:
    """Randomized normalization-layer configurations: inputs (spec,)."""
    rng = np.random.default_rng(seed)
    flag = lambda: bool(rng.integers(0, 2))  # noqa: E731
    specs = [{"layer": f"BatchNorm{d}d", "num_features": int(rng.integers(1, 256)), "affine": flag(),
              "track_running_stats": flag()} for d in (1, 2, 3)]
    specs += [{"layer": "BatchNorm2d", "num_features": 64, "affine": True, "track_running_stats": True}]
    specs += [{"layer": "LayerNorm", "normalized_shape": [int(v) for v in rng.integers(1, 20, size)],
               "elementwise_affine": flag(), "bias": flag()} for size in (1, 2, 3)]
    specs += [{"layer": "LayerNorm", "normalized_shape": [768], "elementwise_affine": True, "bias": True}]
    groups = int(rng.integers(1, 9))
    specs += [{"layer": "GroupNorm", "num_groups": groups, "num_channels": groups * int(rng.integers(1, 9)),
               "affine": flag()}, {"layer": "GroupNorm", "num_groups": 32, "num_channels": 256, "affine": True}]
    specs += [{"layer": f"InstanceNorm{d}d", "num_features": int(rng.integers(1, 64)), "affine": flag(),
               "track_running_stats": flag()} for d in (1, 2)]
    specs += [{"layer": "InstanceNorm2d", "num_features": 16, "affine": True, "track_running_stats": True}]
    specs += [{"layer": "RMSNorm", "normalized_shape": [int(rng.integers(1, 4096))],
               "elementwise_affine": flag()}, {"layer": "RMSNorm", "normalized_shape": [4, 8],
                                               "elementwise_affine": True}]
    return [Case(f"{i}-{spec['layer']}", "float64", [spec]) for i, spec in enumerate(specs)]


# name, x shape per step, steps, momentum
MODULE_SHAPES = [("momentum-0.1", (4, 3, 5, 5), 3, 0.1), ("momentum-none", (2, 2, 3, 4), 3, None),
                 ("c1-momentum-0.3", (3, 1, 4, 6), 2, 0.3), ("n1-spatial", (1, 4, 3, 3), 2, 0.1)]


def batchnorm_module(seed: int) -> list[Case]:
    """Training batches with upstream gradients, then an eval batch, for a BatchNorm2d module."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, shape, steps, momentum in MODULE_SHAPES:
        batches = [_data(rng, shape, "float64", rng.uniform(0.5, 3.0), rng.uniform(-2, 2)) for _ in range(steps)]
        gamma, beta = _affine(rng, shape[1], "float64")
        state = {"momentum": momentum, "eps": 1e-5, "douts": [_data(rng, shape, "float64") for _ in range(steps)],
                 "eval_x": _data(rng, (2,) + shape[1:], "float64", 1.0, 0.5)}
        cases.append(Case(name, "float64", [gamma, beta], steps=batches, state=state))
    return cases


AFFINE_SHAPES = [("c4", 4, "float64", 1e-5), ("c1", 1, "float64", 1e-5), ("float32", 6, "float32", 1e-5),
                 ("large-eps", 3, "float64", 0.5), ("small-var", 5, "float64", 1e-3)]


def bn_affine(seed: int) -> list[Case]:
    """Inputs (running_mean, running_var, gamma, beta, eps)."""
    rng = np.random.default_rng(seed)
    cases = []
    for name, channels, dtype, eps in AFFINE_SHAPES:
        mean, var, gamma, beta = _bn_stats(rng, channels, dtype)
        if name == "small-var":
            var = (var * 1e-4).astype(dtype)
        cases.append(Case(name, dtype, [mean, var, gamma, beta, eps]))
    return cases


# name, weight shape (out, in, *kernel), dtype, eps
WS_SHAPES = [("conv3x3", (4, 3, 3, 3), "float64", 1e-5), ("conv1x1", (6, 5, 1, 1), "float64", 1e-5),
             ("linear", (3, 7), "float64", 1e-5), ("conv1d", (2, 4, 5), "float32", 1e-5),
             ("large-eps", (3, 2, 3, 3), "float64", 0.5)]


def weight_standardization(seed: int) -> list[Case]:
    """Inputs (weight, eps): one filter per output channel."""
    rng = np.random.default_rng(seed)
    return [Case(name, dtype, [_data(rng, shape, dtype, rng.uniform(0.05, 0.5), rng.uniform(-0.2, 0.2)), eps])
            for name, shape, dtype, eps in WS_SHAPES]


ERROR_SITUATIONS = ["batchnorm-train-one-value", "batchnorm-train-one-sample-spatial",
                    "batchnorm-eval-one-sample", "groupnorm-indivisible", "instancenorm-one-element",
                    "instancenorm-eval-one-element", "layernorm-shape-mismatch",
                    "eval-without-running-buffers", "eval-untracked-module", "batchnorm-wrong-channels"]


def error_situations(seed: int) -> list[Case]:
    """Inputs (situation,): the name of a snippet whose outcome the learner predicts."""
    return [Case(name, "float64", [name]) for name in ERROR_SITUATIONS]
