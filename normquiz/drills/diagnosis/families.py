"""Which computed family applies to a drill (by its reference), and its inputs per case, read
through Case's accessors. A case whose inputs do not fit is left out (the family says
nothing about it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TypeVar

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.diagnosis.backward import (
    CHANNEL_PARAMS,
    TRAILING_PARAMS,
    BackItem,
    backward_findings,
)
from normquiz.drills.diagnosis.context import Context, Unit
from normquiz.drills.diagnosis.evaluation import EvalItem, eval_findings
from normquiz.drills.diagnosis.folding import (
    AFFINE_BIASES,
    BIASES,
    FoldItem,
    folding_findings,
)
from normquiz.drills.diagnosis.groupings import (
    SPATIAL,
    SPLITS_BN,
    SPLITS_GN,
    ChannelRule,
    TrailingRule,
    channel_rules,
    trailing_rules,
)
from normquiz.drills.diagnosis.ledger import Finding
from normquiz.drills.diagnosis.normalization import Layer, NormItem, forward_findings
from normquiz.drills.diagnosis.running import Evaluation, RunItem, running_findings

T = TypeVar("T")
AFFINE = ("both", "scale", "shift", "none", "swapped")
INPUT_ERRORS = (TypeError, ValueError, IndexError, KeyError, AttributeError)
MODULE_EPS, MODULE_MOMENTUM = 1e-5, 0.1  # torch.nn.BatchNorm2d's defaults

BATCHNORM = Layer(
    "BatchNorm",
    (
        ChannelRule(True, "each", "all"),
        *channel_rules(SPLITS_BN, SPATIAL),
        ChannelRule(True, "reshaped", "all"),
        ChannelRule(True, "reshaped", "all", columns=True),
    ),
    True,
    AFFINE,
)
LAYERNORM = Layer("LayerNorm", (TrailingRule("none", "all"), *trailing_rules()), True, AFFINE)
GROUPNORM = Layer(
    "GroupNorm",
    (ChannelRule(False, "groups", "all"), *channel_rules(SPLITS_GN, (*SPATIAL, "chunks"))),
    True,
    AFFINE,
)
INSTANCENORM = Layer(
    "InstanceNorm",
    (ChannelRule(False, "each", "all"), *channel_rules(SPLITS_BN, SPATIAL)),
    True,
    ("none",),
)
RMSNORM = Layer(
    "RMSNorm", (TrailingRule("none", "all"), *trailing_rules()), False, ("scale", "none")
)
# each output channel's filter standardized over its input channels and kernel
WEIGHT_STANDARDIZATION = Layer(
    "Weight Standardization",
    (TrailingRule("none", "all"), *trailing_rules()),
    True,
    ("none",),
    unit="filter",
)


def per_channel(values: np.ndarray, ndim: int) -> np.ndarray:
    """A (C,) array shaped to broadcast over (N, C, *spatial)."""
    return values.reshape((1, -1) + (1,) * (ndim - 2))


Reader = Callable[[Context, int, Case], Iterator[T]]


def each_case(context: Context, read: Reader[T]) -> list[T]:
    """What ``read`` gets from every analysed case whose inputs it can read."""
    found: list[T] = []
    for index, case in enumerate(context.cases):
        if context.analysed(index):
            try:
                found += list(read(context, index, case))
            except INPUT_ERRORS:
                continue
    return found


def _eps(case: Case) -> float:
    eps = case.state_number("eps")
    if eps is None:
        raise ValueError(f"case {case.name}: no eps")
    return eps


def _batchnorm(_: Context, index: int, case: Case) -> Iterator[NormItem]:
    x, gamma, beta = case.arrays(3)
    yield NormItem(
        (index, 0), x, 0, per_channel(gamma, x.ndim), per_channel(beta, x.ndim), case.number(3)
    )


def _layernorm(_: Context, index: int, case: Case) -> Iterator[NormItem]:
    x, gamma, beta = case.arrays(3)
    yield NormItem((index, 0), x, gamma.ndim, gamma, beta, case.number(3))


def _groupnorm(_: Context, index: int, case: Case) -> Iterator[NormItem]:
    x, gamma, beta = case.array(0), case.array(2), case.array(3)
    scale, shift = per_channel(gamma, x.ndim), per_channel(beta, x.ndim)
    yield NormItem((index, 0), x, case.integer(1), scale, shift, case.number(4))


def _instancenorm(_: Context, index: int, case: Case) -> Iterator[NormItem]:
    yield NormItem((index, 0), case.array(0), 0, None, None, case.number(1))


def _rmsnorm(_: Context, index: int, case: Case) -> Iterator[NormItem]:
    x, weight = case.arrays(2)
    yield NormItem((index, 0), x, weight.ndim, weight, None, case.number(2))


def _weight_standardization(_: Context, index: int, case: Case) -> Iterator[NormItem]:
    weight = case.array(0)
    yield NormItem((index, 0), weight, weight.ndim - 1, None, None, case.number(1))


def _steps(context: Context, index: int, case: Case) -> Iterator[NormItem]:
    """Each training step's output: BatchNorm with the batch's statistics."""
    eps, _, gamma, beta = _settings(case)
    for step, x in enumerate(case.steps, start=1):
        scale, shift = per_channel(gamma, x.ndim), per_channel(beta, x.ndim)
        yield NormItem(context.unit_named(index, f"step{step}.out"), x, 0, scale, shift, eps)


def _module_steps(context: Context, index: int, case: Case) -> Iterator[NormItem]:
    """bn_module: each step's output. Its dx and dweight come from it by autograd, and the
    eval output from the same module code: those are not recomputed here."""
    evaluation = context.unit_named(index, "eval.out")
    for step, item in enumerate(_steps(context, index, case), start=1):
        grads = tuple(context.unit_named(index, f"step{step}.{n}") for n in ("dx", "dweight"))
        yield replace(item, derived=(*grads, evaluation))


def _settings(case: Case) -> tuple[float, float | None, np.ndarray, np.ndarray]:
    """eps, momentum, gamma, beta of a training case; a bn_module case marked "defaults"
    builds BatchNorm2d(C) as it is: eps 1e-5, momentum 0.1, weight ones, bias zeros."""
    gamma, beta = case.arrays(2)
    if case.state.get("defaults"):
        return MODULE_EPS, MODULE_MOMENTUM, np.ones_like(gamma), np.zeros_like(beta)
    return _eps(case), case.state_number("momentum"), gamma, beta


def _train_run(context: Context, index: int, case: Case) -> Iterator[RunItem]:
    """train_steps: the state the case starts from."""
    yield RunItem(
        tuple(case.steps),
        case.state_array("running_mean"),
        case.state_array("running_var"),
        case.state_integer("num_batches_tracked"),
        case.state_number("momentum"),
        *_running_units(context, index, len(case.steps)),
    )


def _module_run(context: Context, index: int, case: Case) -> Iterator[RunItem]:
    """bn_module: a fresh module (zeros, ones, no batch tracked), then one eval batch."""
    eps, momentum, gamma, beta = _settings(case)
    unit = context.unit_named(index, "eval.out")
    evaluation = Evaluation(unit, case.state_array("eval_x"), gamma, beta, eps)
    channels = len(gamma)
    yield RunItem(
        tuple(case.steps),
        np.zeros(channels),
        np.ones(channels),
        0,
        momentum,
        *_running_units(context, index, len(case.steps)),
        evaluation,
    )


def _running_units(
    context: Context, index: int, steps: int
) -> tuple[tuple[Unit, ...], tuple[Unit, ...]]:
    def named(name: str) -> tuple[Unit, ...]:
        return tuple(context.unit_named(index, f"step{s}.{name}") for s in range(1, steps + 1))

    return named("running_mean"), named("running_var")


FORWARD: dict[str, tuple[Layer, Reader[NormItem]]] = {
    "bn-forward": (BATCHNORM, _batchnorm),
    "layernorm-forward": (LAYERNORM, _layernorm),
    "groupnorm-forward": (GROUPNORM, _groupnorm),
    "instancenorm-forward": (INSTANCENORM, _instancenorm),
    "weight-standardization": (WEIGHT_STANDARDIZATION, _weight_standardization),
    "rmsnorm-forward": (RMSNORM, _rmsnorm),
    "bn-train-steps": (BATCHNORM, _steps),
    "bn-module": (BATCHNORM, _module_steps),
}
RUNNING: dict[str, Reader[RunItem]] = {"bn-train-steps": _train_run, "bn-module": _module_run}


def _backward_units(context: Context, index: int) -> tuple[Unit, Unit, Unit]:
    dx, dgamma, dbeta = (context.unit_named(index, n) for n in ("dx", "dgamma", "dbeta"))
    return dx, dgamma, dbeta


def _bn_backward(context: Context, index: int, case: Case) -> Iterator[BackItem]:
    dout, x, gamma = case.arrays(3)
    units = _backward_units(context, index)
    yield BackItem(units, dout, x, per_channel(gamma, x.ndim), 0, case.number(3), CHANNEL_PARAMS)


def _ln_backward(context: Context, index: int, case: Case) -> Iterator[BackItem]:
    dout, x, gamma = case.arrays(3)
    units = _backward_units(context, index)
    yield BackItem(units, dout, x, gamma, gamma.ndim, case.number(3), TRAILING_PARAMS)


def _gn_backward(context: Context, index: int, case: Case) -> Iterator[BackItem]:
    dout, x, gamma = case.array(0), case.array(1), case.array(3)
    units = _backward_units(context, index)
    scale = per_channel(gamma, x.ndim)
    yield BackItem(units, dout, x, scale, case.integer(2), case.number(4), CHANNEL_PARAMS)


BACKWARD: dict[str, tuple[Layer, Reader[BackItem]]] = {
    "bn-backward": (BATCHNORM, _bn_backward),
    "layernorm-backward": (LAYERNORM, _ln_backward),
    "groupnorm-backward": (GROUPNORM, _gn_backward),
}


def _fold_args(case: Case, first: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    mean, var, gamma, beta = (case.array(first + i) for i in range(4))
    return mean, var, gamma, beta


def _linear_fold(context: Context, index: int, case: Case) -> Iterator[FoldItem]:
    weight, bias = case.array(0), case.optional_array(1)
    mean, var, gamma, beta = _fold_args(case, 2)
    units = {n: context.unit_named(index, n) for n in ("weight", "bias")}
    layer_bias = np.zeros(len(mean)) if bias is None else bias
    yield FoldItem(mean, var, gamma, beta, case.number(6), weight, layer_bias, units)


def _conv_fold(context: Context, index: int, case: Case) -> Iterator[FoldItem]:
    import torch

    from normquiz.drills.harness import build_conv_bn

    conv, _ = build_conv_bn(case)
    conv.bias = None  # y0 = conv(x, weight): the candidates add their own bias
    with torch.no_grad():
        y0 = conv(torch.from_numpy(np.asarray(case.state_array("x"), np.float64))).numpy()
    weight, bias = case.array(0), case.optional_array(1)
    mean, var, gamma, beta = _fold_args(case, 2)
    units = {n: context.unit_named(index, n) for n in ("output", "weight", "bias")}
    layer_bias = np.zeros(len(mean)) if bias is None else bias
    yield FoldItem(mean, var, gamma, beta, case.number(6), weight, layer_bias, units, y0)


def _affine_fold(context: Context, index: int, case: Case) -> Iterator[FoldItem]:
    mean, var, gamma, beta = _fold_args(case, 0)
    units = {"weight": context.unit_named(index, "a"), "bias": context.unit_named(index, "b")}
    yield FoldItem(mean, var, gamma, beta, case.number(4), None, np.zeros(len(mean)), units)


FOLDING: dict[str, tuple[Reader[FoldItem], tuple[str, ...]]] = {
    "linear-bn-fold": (_linear_fold, BIASES),
    "conv-bn-fold": (_conv_fold, BIASES),
    "bn-affine": (_affine_fold, AFFINE_BIASES),
}


def _bn_eval(context: Context, index: int, case: Case) -> Iterator[EvalItem]:
    x, mean, var, gamma, beta = case.arrays(5)
    yield EvalItem(context.unit_named(index, "out"), x, mean, var, gamma, beta, case.number(5))


def family_findings(context: Context) -> list[Finding]:
    """The computed families' surviving candidates for this drill's reference."""
    found: list[Finding] = []
    forward = FORWARD.get(context.request.reference)
    if forward is not None:
        layer, read = forward
        found += forward_findings(context, layer, each_case(context, read))
    backward = BACKWARD.get(context.request.reference)
    if backward is not None:
        layer, read_back = backward
        found += backward_findings(context, layer, each_case(context, read_back))
    folding = FOLDING.get(context.request.reference)
    if folding is not None:
        read_fold, forms = folding
        found += folding_findings(context, each_case(context, read_fold), forms)
    if context.request.reference == "bn-eval":
        found += eval_findings(context, each_case(context, _bn_eval))
    running = RUNNING.get(context.request.reference)
    if running is not None:
        found += running_findings(context, each_case(context, running))
    return found
