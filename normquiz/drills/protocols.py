"""Call protocols: how a drill's function is called on a case, and how its results become
plain arrays (the manifest's ``protocol:`` field names one).

Used in the learner's child process and, for the known mistakes, in the grading worker.
Every call gets fresh copies of the inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.harness import ANSWERS, build_conv_bn, drive_bn_module
from normquiz.exceptions import OutputError


def as_plain_array(value: object, what: str) -> np.ndarray:
    """A plain float ndarray copy of a result (torch tensors and ndarray subclasses included)."""
    if type(value).__module__.startswith("torch"):  # a tensor; torch is not imported here
        value = cast(Any, value).detach().cpu().numpy()
    try:
        array = np.array(value, subok=False, copy=True)
    except Exception as error:  # noqa: BLE001 - any conversion failure is the learner's
        several = " (several outputs are returned as a tuple)" if isinstance(value, list) else ""
        raise OutputError(
            f"{what} is not an array ({type(value).__name__}): {error}{several}"
        ) from None
    if array.dtype.kind not in "fiub":
        raise OutputError(
            f"{what} is not a numeric array (got {type(value).__name__} with dtype {array.dtype})"
        )
    return array.astype(np.float64, copy=False)


def _copy(value: object) -> object:
    return value.copy() if isinstance(value, np.ndarray) else value


Function = Callable[..., Any]
CallProtocol = Callable[[Function, Case], list[np.ndarray]]


def call_function(function: Function, case: Case) -> list[np.ndarray]:
    kwargs = {key: _copy(value) for key, value in case.kwargs.items()}
    result = function(*[_copy(a) for a in case.args], **kwargs)
    values = result if isinstance(result, tuple) else (result,)
    return [
        as_plain_array(v, "the result" if len(values) == 1 else f"result[{i}]")
        for i, v in enumerate(values)
    ]


def call_train_steps(function: Function, case: Case) -> list[np.ndarray]:
    state = {k: _copy(v) for k, v in case.state.items()}
    outputs: list[np.ndarray] = []
    gamma, beta = case.arrays(2)
    for step, x in enumerate(case.steps, start=1):
        result = function(x.copy(), _copy(gamma), _copy(beta), state)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise OutputError(f"step {step}: expected (out, state), got {type(result).__name__}")
        out, returned = result
        state = returned if isinstance(returned, dict) else state
        for key in ("running_mean", "running_var"):
            if key not in state:
                raise OutputError(f"step {step}: state has no '{key}'")
        outputs += [
            as_plain_array(out, f"step {step} out"),
            as_plain_array(state["running_mean"], f"step {step} running_mean"),
            as_plain_array(state["running_var"], f"step {step} running_var"),
        ]
    return outputs


def call_conv_bn(function: Function, case: Case) -> list[np.ndarray]:
    """fuse_conv_bn(conv, bn) -> a Conv2d; its output on the case's batch, weight and bias."""
    import torch

    conv, bn = build_conv_bn(case)
    fused = function(conv, bn)
    if not isinstance(fused, torch.nn.Conv2d):
        raise OutputError(f"expected a torch.nn.Conv2d, got {type(fused).__name__}")
    with torch.no_grad():
        output = fused.eval()(torch.from_numpy(case.state_array("x").copy()))
    bias = fused.bias if fused.bias is not None else torch.zeros(fused.out_channels)
    return [
        as_plain_array(output, "the fused conv's output"),
        as_plain_array(fused.weight, "the fused weight"),
        as_plain_array(bias, "the fused bias"),
    ]


def call_bn_module(cls: Function, case: Case) -> list[np.ndarray]:
    """Train the learner's BatchNorm2d class for a few steps, then evaluate it."""
    try:
        return [as_plain_array(a, "an output") for a in drive_bn_module(cls, case)]
    except ValueError as error:
        if "state_dict keys" in str(error):
            raise OutputError(str(error)) from None
        raise


def call_exception_name(function: Function, case: Case) -> list[np.ndarray]:
    """The learner names an exception type (or 'none'); graded as its index in ANSWERS."""
    answer = function(*case.args)
    if not isinstance(answer, str) or answer.strip() not in ANSWERS:
        raise OutputError(f"answered {answer!r}; answer one of {', '.join(ANSWERS)}")
    return [np.asarray(float(ANSWERS.index(answer.strip())))]


PROTOCOLS: dict[str, CallProtocol] = {
    "function": call_function,
    "train_steps": call_train_steps,
    "conv_bn": call_conv_bn,
    "bn_module": call_bn_module,
    "exception_name": call_exception_name,
}
