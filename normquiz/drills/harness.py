"""What the learner's sandbox child needs beyond the call protocols: building the modules a
case describes and driving a learner's module, and the tensor helpers both sides share.

Loaded in the zygote (so in every learner child) and by the references. It holds no
reference output and computes none: the expected values live only in ``references``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from normquiz.drills.cases import Case

if TYPE_CHECKING:
    from torch import Tensor
    from torch.nn import BatchNorm2d, Conv2d


def warm() -> None:
    """Run once when a grading worker starts: torch and numpy loaded, one thread."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch

    torch.set_num_threads(1)  # no OpenMP pool: forking a child stays safe
    torch.nn.functional.batch_norm(torch.zeros(2, 1), None, None, training=True)


def present(tensor: Tensor | None) -> Tensor:
    """A buffer or gradient that this reference made sure exists."""
    if tensor is None:
        raise RuntimeError("a tensor the reference needs is missing")
    return tensor


def as_tensor(array: np.ndarray) -> Tensor:
    import torch

    return torch.from_numpy(np.asarray(array, dtype=np.float64).copy())


def grad_of(tensor: Tensor) -> np.ndarray:
    if tensor.grad is None:
        raise RuntimeError("autograd left no gradient")
    return tensor.grad.numpy().copy()


def build_conv_bn(case: Case) -> tuple[Conv2d, BatchNorm2d]:
    """The conv and eval-mode BN modules a case describes (used by reference and protocol)."""
    import torch

    weight, bias = case.array(0), case.optional_array(1)
    mean, var, gamma, beta = (case.array(i) for i in range(2, 6))
    eps = case.number(6)
    cout, cin_per_group, kernel, _ = weight.shape
    groups = case.state_integer("groups")
    conv = torch.nn.Conv2d(
        cin_per_group * groups,
        cout,
        kernel,
        stride=case.state_integer("stride"),
        padding=case.state_integer("padding"),
        dilation=case.state_integer("dilation"),
        groups=groups,
        bias=bias is not None,
        dtype=torch.float64,
    )
    bn = torch.nn.BatchNorm2d(cout, eps=eps, dtype=torch.float64)
    with torch.no_grad():
        conv.weight.copy_(as_tensor(weight))
        if bias is not None:
            present(conv.bias).copy_(as_tensor(bias))
        for tensor, values in (
            (present(bn.running_mean), mean),
            (present(bn.running_var), var),
            (bn.weight, gamma),
            (bn.bias, beta),
        ):
            tensor.copy_(as_tensor(values))
    return conv.eval(), bn.eval()


STATE_KEYS = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]


def drive_bn_module(factory: Callable[..., Any], case: Case) -> list[np.ndarray]:
    """Train a BatchNorm2d-like module for a few steps, then evaluate it; every observable."""
    import torch

    gamma, beta = case.arrays(2)
    defaults = bool(case.state.get("defaults"))  # the promised defaults and initial parameters
    options = {key: case.state_number(key) for key in ("eps", "momentum") if not defaults}
    module = factory(gamma.shape[0], **options).double()
    keys = list(module.state_dict())
    if keys != STATE_KEYS:
        raise ValueError(f"state_dict keys are {keys}, expected {STATE_KEYS}")
    with torch.no_grad():
        if not defaults:
            module.weight.copy_(as_tensor(gamma))
            module.bias.copy_(as_tensor(beta))
    outputs: list[np.ndarray] = []
    module.train()
    for x, dout in zip(case.steps, case.state_arrays("douts"), strict=True):
        module.zero_grad()
        tx = as_tensor(x).requires_grad_()
        out = module(tx)
        (out * as_tensor(dout)).sum().backward()
        outputs += [
            out.detach().numpy(),
            grad_of(tx),
            module.weight.grad.numpy().copy(),
            module.bias.grad.numpy().copy(),
            module.running_mean.detach().numpy().copy(),
            module.running_var.detach().numpy().copy(),
            np.asarray(float(module.num_batches_tracked)),
        ]
    module.eval()
    with torch.no_grad():
        outputs.append(module(as_tensor(case.state_array("eval_x"))).numpy())
    return outputs


ANSWERS = ["none", "ValueError", "RuntimeError", "TypeError", "IndexError"]
