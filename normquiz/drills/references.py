"""Torch references: what PyTorch itself computes for each case, in float64.

Runs only in the grading worker, after its zygote was forked: this module is never loaded in a
process that runs learner code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.harness import (
    ANSWERS,
    build_conv_bn,
    drive_bn_module,
)
from normquiz.drills.harness import as_tensor as _t
from normquiz.drills.harness import grad_of as _grad
from normquiz.drills.harness import present as _present

if TYPE_CHECKING:
    from torch import Tensor

Outputs = list[tuple[str, np.ndarray]]


def bn_forward(case: Case) -> Outputs:
    import torch.nn.functional as F

    x, gamma, beta = case.arrays(3)
    out = F.batch_norm(_t(x), None, None, _t(gamma), _t(beta), training=True, eps=case.number(3))
    return [("out", out.numpy())]


def bn_train_steps(case: Case) -> Outputs:
    import torch

    gamma, beta = case.arrays(2)
    channels = gamma.shape[0]
    module = {
        2: torch.nn.BatchNorm1d,
        3: torch.nn.BatchNorm1d,
        4: torch.nn.BatchNorm2d,
        5: torch.nn.BatchNorm3d,
    }[case.steps[0].ndim]
    layer = module(
        channels,
        eps=case.state_number("eps") or 0.0,
        momentum=case.state_number("momentum"),
        dtype=torch.float64,
    )
    with torch.no_grad():
        layer.weight.copy_(_t(gamma))
        layer.bias.copy_(_t(beta))
        _present(layer.running_mean).copy_(_t(case.state_array("running_mean")))
        _present(layer.running_var).copy_(_t(case.state_array("running_var")))
        _present(layer.num_batches_tracked).fill_(case.state_integer("num_batches_tracked"))
    layer.train()
    outputs: Outputs = []
    for step, x in enumerate(case.steps, start=1):
        with torch.no_grad():  # no_grad does not change train-mode behaviour
            out = layer(_t(x))
        outputs += [
            (f"step{step}.out", out.numpy()),
            (f"step{step}.running_mean", _present(layer.running_mean).numpy().copy()),
            (f"step{step}.running_var", _present(layer.running_var).numpy().copy()),
        ]
    return outputs


def bn_eval(case: Case) -> Outputs:
    import torch.nn.functional as F

    x, mean, var, gamma, beta = case.arrays(5)
    out = F.batch_norm(
        _t(x), _t(mean), _t(var), _t(gamma), _t(beta), training=False, eps=case.number(5)
    )
    return [("out", out.numpy())]


def layernorm_forward(case: Case) -> Outputs:
    import torch.nn.functional as F

    x, gamma, beta = case.arrays(3)
    out = F.layer_norm(_t(x), gamma.shape, _t(gamma), _t(beta), case.number(3))
    return [("out", out.numpy())]


def groupnorm_forward(case: Case) -> Outputs:
    import torch.nn.functional as F

    x, gamma, beta = case.array(0), case.array(2), case.array(3)
    out = F.group_norm(_t(x), case.integer(1), _t(gamma), _t(beta), case.number(4))
    return [("out", out.numpy())]


def instancenorm_forward(case: Case) -> Outputs:
    import torch.nn.functional as F

    return [("out", F.instance_norm(_t(case.array(0)), eps=case.number(1)).numpy())]


def rmsnorm_forward(case: Case) -> Outputs:
    import torch.nn.functional as F

    x, weight = case.arrays(2)
    return [("out", F.rms_norm(_t(x), weight.shape, _t(weight), case.number(2)).numpy())]


def column_stats(case: Case) -> Outputs:
    """Two passes in float64: exact to ~1e-15 even around 1e5, where torch.var's own rounding
    (~2e-11) would use up a fifth of the float64 tolerance."""
    t = _t(case.array(0))
    mean = t.mean(dim=0)
    return [("mean", mean.numpy()), ("var", ((t - mean) ** 2).mean(dim=0).numpy())]


def syncbn_stats(case: Case) -> Outputs:
    import torch

    everything = torch.cat([_t(d) for d in case.state_arrays("data")])
    return [
        ("mean", everything.mean(dim=0).numpy()),
        ("var", everything.var(dim=0, unbiased=True).numpy()),
    ]


def _gradients(
    forward: Callable[[Tensor, Tensor, Tensor], Tensor],
    dout: np.ndarray,
    x: np.ndarray,
    gamma: np.ndarray,
) -> Outputs:
    """dx, dgamma, dbeta of ``forward(x, gamma, beta)`` by autograd in float64."""
    import torch

    tx, tg = _t(x).requires_grad_(), _t(gamma).requires_grad_()
    tb = torch.zeros_like(tg, requires_grad=True)
    torch.autograd.backward(forward(tx, tg, tb), _t(dout))
    return [("dx", _grad(tx)), ("dgamma", _grad(tg)), ("dbeta", _grad(tb))]


def bn_backward(case: Case) -> Outputs:
    import torch.nn.functional as F

    dout, x, gamma = case.arrays(3)
    eps = case.number(3)
    return _gradients(
        lambda tx, tg, tb: F.batch_norm(tx, None, None, tg, tb, training=True, eps=eps),
        dout,
        x,
        gamma,
    )


def layernorm_backward(case: Case) -> Outputs:
    import torch.nn.functional as F

    dout, x, gamma = case.arrays(3)
    eps = case.number(3)
    return _gradients(lambda tx, tg, tb: F.layer_norm(tx, gamma.shape, tg, tb, eps), dout, x, gamma)


def linear_bn_fold(case: Case) -> Outputs:
    import torch
    from torch.nn.utils.fusion import fuse_linear_bn_weights

    weight, bias = case.array(0), case.optional_array(1)
    mean, var, gamma, beta = (_t(case.array(i)) for i in range(2, 6))
    b = _t(bias) if bias is not None else torch.zeros(weight.shape[0], dtype=torch.float64)
    new_w, new_b = fuse_linear_bn_weights(_t(weight), b, mean, var, case.number(6), gamma, beta)
    return [("weight", new_w.detach().numpy()), ("bias", new_b.detach().numpy())]


def conv_bn_fold(case: Case) -> Outputs:
    import torch
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    conv, bn = build_conv_bn(case)
    with torch.no_grad():
        expected = bn(conv(_t(case.state_array("x"))))
        fused = fuse_conv_bn_eval(conv, bn)
    bias = fused.bias
    if bias is None:
        raise RuntimeError("fuse_conv_bn_eval returned a conv without bias")
    return [
        ("output", expected.numpy()),
        ("weight", fused.weight.detach().numpy()),
        ("bias", bias.detach().numpy()),
    ]


def groupnorm_backward(case: Case) -> Outputs:
    import torch.nn.functional as F

    dout, x, gamma = case.array(0), case.array(1), case.array(3)
    groups, eps = case.integer(2), case.number(4)
    return _gradients(lambda tx, tg, tb: F.group_norm(tx, groups, tg, tb, eps), dout, x, gamma)


def ema_update(case: Case) -> Outputs:
    import torch

    running, batch = case.arrays(2)
    momentum = case.number(2)
    weight = momentum if case.text(3) == "pytorch" else 1.0 - momentum  # weight of the new value
    return [("running", torch.lerp(_t(running), _t(batch), weight).numpy())]


def count_norm_params(case: Case) -> Outputs:
    import torch

    spec = case.spec(0)
    layer = getattr(torch.nn, str(spec.pop("layer")))(**spec)
    params = sum(p.numel() for p in layer.parameters())
    buffers = sum(b.numel() for b in layer.buffers())
    return [("params", np.asarray(float(params))), ("buffers", np.asarray(float(buffers)))]


def bn_module(case: Case) -> Outputs:
    import torch

    arrays = drive_bn_module(torch.nn.BatchNorm2d, case)
    names = [
        f"step{s}.{n}"
        for s in range(1, len(case.steps) + 1)
        for n in (
            "out",
            "dx",
            "dweight",
            "dbias",
            "running_mean",
            "running_var",
            "num_batches_tracked",
        )
    ]
    return list(zip([*names, "eval.out"], arrays, strict=True))


def bn_affine(case: Case) -> Outputs:
    """a and b such that eval-mode F.batch_norm(x) == a * x + b, read off at x = 0 and x = 1."""
    import torch
    import torch.nn.functional as F

    mean, var, gamma, beta = case.arrays(4)
    eps = case.number(4)
    probe = torch.stack(
        [torch.zeros(len(mean), dtype=torch.float64), torch.ones(len(mean), dtype=torch.float64)]
    )
    y = F.batch_norm(probe, _t(mean), _t(var), _t(gamma), _t(beta), training=False, eps=eps)
    return [("a", (y[1] - y[0]).numpy()), ("b", y[0].numpy())]


def weight_standardization(case: Case) -> Outputs:
    t, eps = _t(case.array(0)), case.number(1)
    flat = t.reshape(t.shape[0], -1)
    mean = flat.mean(dim=1, keepdim=True)
    var = flat.var(dim=1, unbiased=False, keepdim=True)
    return [("weight", ((flat - mean) / (var + eps).sqrt()).reshape(t.shape).numpy())]


def _situations() -> dict[str, Callable[[], object]]:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    return {
        "batchnorm-train-one-value": lambda: nn.BatchNorm1d(4).train()(torch.randn(1, 4)),
        "batchnorm-train-one-sample-spatial": lambda: nn.BatchNorm2d(3).train()(
            torch.randn(1, 3, 2, 2)
        ),
        "batchnorm-eval-one-sample": lambda: nn.BatchNorm1d(4).eval()(torch.randn(1, 4)),
        "groupnorm-indivisible": lambda: nn.GroupNorm(3, 4),
        "instancenorm-one-element": lambda: F.instance_norm(torch.randn(2, 3, 1)),
        "instancenorm-eval-one-element": lambda: nn.InstanceNorm1d(3).eval()(torch.randn(2, 3, 1)),
        "layernorm-shape-mismatch": lambda: nn.LayerNorm(8)(torch.randn(2, 4)),
        "eval-without-running-buffers": lambda: F.batch_norm(
            torch.randn(4, 3), None, None, training=False
        ),
        "eval-untracked-module": lambda: nn.BatchNorm1d(3, track_running_stats=False).eval()(
            torch.randn(4, 3)
        ),
        "batchnorm-wrong-channels": lambda: nn.BatchNorm2d(3)(torch.randn(2, 4, 5, 5)),
    }


def predict_error(case: Case) -> Outputs:
    """Run the situation with torch and record which exception type it raises ('none' if none)."""
    try:
        _situations()[case.text(0)]()
        raised = "none"
    except Exception as error:  # noqa: BLE001 - the exception is the answer
        raised = type(error).__name__
    return [("answer", np.asarray(float(ANSWERS.index(raised))))]
