"""Diagnoses, computed in-process: submissions written here in several styles (numpy, torch,
loops, einsum) are run on a drill's cases, the bank's mistake files likewise, and
``diagnose`` names what they do wrong, or nothing when it cannot tell."""

from __future__ import annotations

import importlib.util
import textwrap
import uuid
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from normquiz.bank.loader import load_bank
from normquiz.drills.cases import Case
from normquiz.drills.check import build_request
from normquiz.drills.compare import compare
from normquiz.drills.diagnosis import (
    backward,
    diagnose,
    evaluation,
    families,
    folding,
    running,
)
from normquiz.drills.diagnosis.context import Context, Outputs
from normquiz.drills.diagnosis.groupings import (
    KNOWN_CHANNEL,
    ChannelRule,
    TrailingRule,
    rule_labels,
)
from normquiz.drills.diagnosis.ledger import Finding
from normquiz.drills.diagnosis.normalization import Layer, NormItem, normalized
from normquiz.drills.diagnosis.selection import UNCHECKED, UNEXPLAINED, select
from normquiz.drills.grading import prepared
from normquiz.drills.protocols import PROTOCOLS
from normquiz.drills.request import CheckRequest
from normquiz.drills.results import Diagnosis

BANK = load_bank(use_env=False)
Diagnose = Callable[[str, str], tuple[Diagnosis, ...]]


def _module(path: Path | str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"submission_{uuid.uuid4().hex}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_file(
    path: Path | str, request: CheckRequest, cases: Sequence[Case]
) -> list[Outputs | None]:
    """The file's outputs per case (None where it raised), as the learner's child computes them."""
    function = getattr(_module(path), request.function)
    found: list[Outputs | None] = []
    for case in cases:
        try:
            found.append(PROTOCOLS[request.protocol](function, case))
        except Exception:  # noqa: BLE001 - a submission may raise on any case
            found.append(None)
    return found


@lru_cache(maxsize=256)
def mistake_outputs(path: str, drill: str, seed: int) -> tuple[Outputs | None, ...]:
    """A bank mistake file's outputs, computed in-process (the grader uses a sandboxed child)."""
    request = build_request(BANK, BANK.drills[drill], Path(path), seed, 10.0, 4096)
    cases, _ = prepared(request.cases, request.reference, seed)
    return tuple(run_file(path, request, cases))


def diagnose_file(drill: str, path: Path, seed: int = 0) -> tuple[Diagnosis, ...]:
    request = build_request(BANK, BANK.drills[drill], path, seed, 10.0, 4096)
    cases, references = prepared(request.cases, request.reference, seed)
    outputs = run_file(path, request, cases)
    return diagnose(
        request, cases, references, outputs, lambda m: mistake_outputs(m.path, drill, seed)
    )


@pytest.fixture
def check(tmp_path: Path) -> Diagnose:
    def diagnosis(drill: str, source: str) -> tuple[Diagnosis, ...]:
        path = tmp_path / f"{drill}-{uuid.uuid4().hex[:8]}.py"
        path.write_text(textwrap.dedent(source))
        return diagnosis_of(drill, path)

    def diagnosis_of(drill: str, path: Path) -> tuple[Diagnosis, ...]:
        return diagnose_file(drill, path)

    return diagnosis


def ids(found: Sequence[Diagnosis]) -> list[str]:
    return [d.id for d in found]


def message(found: Sequence[Diagnosis], mistake: str) -> str:
    return next(d.message for d in found if d.id == mistake)


# --- the bank's own files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "drill, mistake", [(d, m.id) for d in sorted(BANK.drills) for m in BANK.drills[d].mistakes]
)
def test_each_bank_mistake_is_named_as_itself_and_nothing_else(drill: str, mistake: str) -> None:
    [entry] = [m for m in BANK.drills[drill].mistakes if m.id == mistake]
    found = diagnose_file(drill, BANK.drill_file(drill, entry.file))
    assert ids(found) == [mistake]
    assert message(found, mistake) == entry.explanation


def test_running_stats_starter_has_its_three_bugs_named() -> None:
    spec = BANK.drills["bn-running-stats"]
    found = diagnose_file("bn-running-stats", BANK.drill_file("bn-running-stats", spec.starter))
    assert ids(found) == ["running-stats-not-updated", "momentum-inverted", "biased-running-var"]
    assert "running_mean" in message(found, "running-stats-not-updated")
    assert "running_var" in message(found, "momentum-inverted")


# --- groupings: which axes (and channels) share a statistic ----------------------------------

BN_WITH_LAYERNORM_AXES_NUMPY = """
import numpy as np

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    axes = tuple(range(1, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return gamma.reshape(shape) * (x - mean) / np.sqrt(var + eps) + beta.reshape(shape)
"""

BN_WITH_LAYERNORM_AXES_TORCH = """
import torch

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    t = torch.from_numpy(x)
    flat = t.reshape(t.shape[0], -1)
    mu = flat.mean(dim=1, keepdim=True)
    sd = torch.sqrt(flat.var(dim=1, unbiased=False, keepdim=True) + eps)
    y = ((flat - mu) / sd).reshape(t.shape)
    shape = [1, -1] + [1] * (t.dim() - 2)
    return (y * torch.from_numpy(gamma).view(shape) + torch.from_numpy(beta).view(shape)).numpy()
"""


@pytest.mark.parametrize("source", [BN_WITH_LAYERNORM_AXES_NUMPY, BN_WITH_LAYERNORM_AXES_TORCH])
def test_layernorm_axes_in_batchnorm_are_named_with_both_groupings(
    check: Diagnose, source: str
) -> None:
    found = check("bn-forward", source)
    assert ids(found) == ["wrong-axes"]
    text = message(found, "wrong-axes")
    assert "(1, 2, 3)" in text and "per sample" in text and "LayerNorm's grouping" in text
    assert "BatchNorm reduces over axes (0, 2, 3)" in text and "per channel" in text


INSTANCENORM_OVER_C_AND_H_LOOPS = """
import numpy as np

def instancenorm_forward(x, eps=1e-5):
    out = np.empty_like(x)
    for n in range(x.shape[0]):
        for w in np.ndindex(x.shape[-1:]):
            values = x[n][..., w[0]]
            mu = values.mean()
            out[n][..., w[0]] = (values - mu) / np.sqrt(((values - mu) ** 2).mean() + eps)
    return out
"""


def test_instancenorm_over_channels_and_rows_is_named_on_any_input(check: Diagnose) -> None:
    found = check("instancenorm-forward", INSTANCENORM_OVER_C_AND_H_LOOPS)
    assert ids(found) == ["wrong-axes"]
    assert "(1, 2)" in message(found, "wrong-axes") and "(2, 3)" in message(found, "wrong-axes")


def test_the_fix_instancenorm_starter_reduces_over_channels_and_rows(check: Diagnose) -> None:
    spec = BANK.drills["fix-instancenorm"]
    found = diagnose_file("fix-instancenorm", BANK.drill_file("fix-instancenorm", spec.starter))
    assert ids(found) == ["wrong-axes"]  # it raises on H != W; the cases that ran are enough
    assert "over axes (1, 2)" in message(found, "wrong-axes")


LAYERNORM_OVER_EVERY_LEADING_AXIS_EINSUM = """
import numpy as np

def layernorm_forward(x, gamma, beta, eps=1e-5):
    rows = x.reshape(-1, *gamma.shape)
    n = rows.shape[0]
    mean = np.einsum("i...->...", rows) / n
    var = np.einsum("i...,i...->...", rows - mean, rows - mean) / n
    return ((rows - mean) / np.sqrt(var + eps)).reshape(x.shape) * gamma + beta
"""


def test_batchnorm_axes_in_layernorm_are_named(check: Diagnose) -> None:
    found = check("layernorm-forward", LAYERNORM_OVER_EVERY_LEADING_AXIS_EINSUM)
    assert ids(found) == ["wrong-axes"]
    text = message(found, "wrong-axes")
    assert "over axes (0, 1) (mixing the samples" in text and "BatchNorm's grouping" in text


GROUPNORM_PER_PIXEL_NUMPY = """
import numpy as np

def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    n, c = x.shape[:2]
    g = x.reshape(n, num_groups, c // num_groups, *x.shape[2:])
    mean = g.mean(axis=2, keepdims=True)
    var = g.var(axis=2, keepdims=True)
    out = ((g - mean) / np.sqrt(var + eps)).reshape(x.shape)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return out * gamma.reshape(shape) + beta.reshape(shape)
"""

GROUPNORM_PER_PIXEL_TORCH_LOOP = """
import torch

def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    t = torch.from_numpy(x).double()
    out = torch.empty_like(t)
    size = t.shape[1] // num_groups
    for g in range(num_groups):
        block = t[:, g * size:(g + 1) * size]
        mu = block.mean(dim=1, keepdim=True)
        var = block.var(dim=1, unbiased=False, keepdim=True)
        out[:, g * size:(g + 1) * size] = (block - mu) / torch.sqrt(var + eps)
    shape = [1, -1] + [1] * (t.dim() - 2)
    return (out * torch.from_numpy(gamma).view(shape) + torch.from_numpy(beta).view(shape)).numpy()
"""


@pytest.mark.parametrize("source", [GROUPNORM_PER_PIXEL_NUMPY, GROUPNORM_PER_PIXEL_TORCH_LOOP])
def test_groupnorm_statistics_per_pixel_are_named(check: Diagnose, source: str) -> None:
    found = check("groupnorm-forward", source)
    assert ids(found)[0] == "wrong-axes"
    text = message(found, "wrong-axes")
    assert "at each position separately" in text and "per (sample, group, position)" in text
    assert set(ids(found)) <= {"wrong-axes", UNCHECKED}  # float32 data far from zero: rounding


GROUPNORM_SWAPPED = """
import numpy as np

def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    n, c = x.shape[:2]
    g = x.reshape(n, c // num_groups, -1)
    g = (g - g.mean(axis=2, keepdims=True)) / np.sqrt(g.var(axis=2, keepdims=True) + eps)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return g.reshape(x.shape) * gamma.reshape(shape) + beta.reshape(shape)
"""

GROUPNORM_STRIDED_TORCH = """
import torch

def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
    t = torch.from_numpy(x)
    n, c = t.shape[:2]
    g = t.reshape(n, c // num_groups, num_groups, -1).transpose(1, 2).reshape(n, num_groups, -1)
    g = (g - g.mean(-1, keepdim=True)) / torch.sqrt(g.var(-1, unbiased=False, keepdim=True) + eps)
    y = g.reshape(n, num_groups, c // num_groups, -1).transpose(1, 2).reshape(t.shape)
    shape = [1, -1] + [1] * (t.dim() - 2)
    return (y * torch.from_numpy(gamma).view(shape) + torch.from_numpy(beta).view(shape)).numpy()
"""


def test_groupnorm_with_groups_and_channels_per_group_swapped(check: Diagnose) -> None:
    found = check("groupnorm-forward", GROUPNORM_SWAPPED)
    assert ids(found) == ["group-split-wrong"]
    assert "swapped" in message(found, "group-split-wrong")


def test_groupnorm_with_strided_groups_in_torch_is_the_bank_mistake(check: Diagnose) -> None:
    found = check("groupnorm-forward", GROUPNORM_STRIDED_TORCH)
    assert ids(found) == ["group-split-wrong"]


# --- divisors, eps, centering, affine: one at a time and together -----------------------------

LAYERNORM_GUARDED_UNBIASED = """
import numpy as np

def layernorm_forward(x, gamma, beta, eps=1e-5):
    axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
    n = gamma.size
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).sum(axis=axes, keepdims=True) / max(n - 1, 1)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta
"""


def test_a_guard_against_one_value_does_not_hide_the_unbiased_variance(check: Diagnose) -> None:
    assert ids(check("layernorm-forward", LAYERNORM_GUARDED_UNBIASED)) == ["unbiased-variance"]


BN_DIVIDES_BY_N_PLUS_ONE_TORCH = """
import torch

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    t = torch.from_numpy(x)
    dims = [0] + list(range(2, t.dim()))
    n = t.numel() // t.shape[1]
    mu = t.mean(dims, keepdim=True)
    var = ((t - mu) ** 2).sum(dims, keepdim=True) / (n + 1)
    shape = [1, -1] + [1] * (t.dim() - 2)
    y = (t - mu) / torch.sqrt(var + eps)
    return (y * torch.from_numpy(gamma).view(shape) + torch.from_numpy(beta).view(shape)).numpy()
"""


def test_a_divisor_of_n_plus_one_is_named(check: Diagnose) -> None:
    found = check("bn-forward", BN_DIVIDES_BY_N_PLUS_ONE_TORCH)
    assert ids(found) == ["divisor-off-by-one"]
    assert "n + 1" in message(found, "divisor-off-by-one")


EPS_VARIANTS = {
    "eps-outside-sqrt": "np.sqrt(var) + eps",
    "missing-eps": "np.sqrt(var)",
    "eps-subtracted": "np.sqrt(var - eps)",
    "sqrt-missing": "(var + eps)",
}


@pytest.mark.parametrize("mistake", sorted(EPS_VARIANTS))
def test_each_eps_placement_is_named_as_itself(check: Diagnose, mistake: str) -> None:
    source = f"""
    import numpy as np

    def instancenorm_forward(x, eps=1e-5):
        axes = tuple(range(2, x.ndim))
        mean = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, keepdims=True)
        with np.errstate(all="ignore"):
            return (x - mean) / ({EPS_VARIANTS[mistake]})
    """
    found = check("instancenorm-forward", source)
    assert ids(found) == [mistake]


def test_eps_inside_the_root_with_the_unbiased_variance_is_not_an_eps_mistake(
    check: Diagnose,
) -> None:
    source = """
    import torch

    def batchnorm_forward(x, gamma, beta, eps=1e-5):
        t = torch.from_numpy(x)
        dims = [0] + list(range(2, t.dim()))
        shape = [1, -1] + [1] * (t.dim() - 2)
        mean, var = t.mean(dims, keepdim=True), t.var(dims, keepdim=True)  # unbiased by default
        out = (t - mean) / torch.sqrt(var + eps)
        return (out * torch.from_numpy(gamma).view(shape) + torch.from_numpy(beta).view(shape)).numpy()
    """
    assert ids(check("bn-forward", source)) == ["unbiased-variance"]


def test_axes_right_and_eps_outside_names_only_the_eps(check: Diagnose) -> None:
    source = """
    import numpy as np

    def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
        g = x.reshape(x.shape[0], num_groups, -1)
        g = (g - g.mean(-1, keepdims=True)) / (g.std(-1, keepdims=True) + eps)
        shape = (1, -1) + (1,) * (x.ndim - 2)
        return g.reshape(x.shape) * gamma.reshape(shape) + beta.reshape(shape)
    """
    assert ids(check("groupnorm-forward", source)) == ["eps-outside-sqrt"]


RMS_WITHOUT_WEIGHT = {
    "numpy": """
    import numpy as np

    def rmsnorm_forward(x, weight, eps=1e-6):
        axes = tuple(range(x.ndim - weight.ndim, x.ndim))
        return x / np.sqrt(np.mean(x * x, axis=axes, keepdims=True) + eps)
    """,
    "torch": """
    import torch

    def rmsnorm_forward(x, weight, eps=1e-6):
        t = torch.from_numpy(x)
        dims = tuple(range(-weight.ndim, 0))
        return (t * torch.rsqrt(t.square().mean(dims, keepdim=True) + eps)).numpy()
    """,
}


@pytest.mark.parametrize("style", sorted(RMS_WITHOUT_WEIGHT))
def test_a_forgotten_rmsnorm_weight_is_named(check: Diagnose, style: str) -> None:
    found = check("rmsnorm-forward", RMS_WITHOUT_WEIGHT[style])
    assert ids(found) == ["affine-missing"] and "weight" in message(found, "affine-missing")


def test_gamma_without_beta_and_beta_without_gamma_are_told_apart(check: Diagnose) -> None:
    template = """
    import numpy as np

    def batchnorm_forward(x, gamma, beta, eps=1e-5):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        xhat = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
        return {}
    """
    scaled = check("bn-forward", template.format("xhat * gamma.reshape(shape)"))
    shifted = check("bn-forward", template.format("xhat + beta.reshape(shape)"))
    assert ids(scaled) == ids(shifted) == ["affine-missing"]
    assert "did not add beta" in message(scaled, "affine-missing")
    assert "did not multiply by gamma" in message(shifted, "affine-missing")


def test_layernorm_without_centering_is_called_rmsnorm(check: Diagnose) -> None:
    source = """
    import numpy as np

    def layernorm_forward(x, gamma, beta, eps=1e-5):
        axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
        return x / np.sqrt((x ** 2).mean(axis=axes, keepdims=True) + eps) * gamma + beta
    """
    found = check("layernorm-forward", source)
    assert ids(found) == ["mean-not-subtracted"] and "RMSNorm" in message(
        found, "mean-not-subtracted"
    )


LAYERNORM_FOUR_MISTAKES_TORCH = """
import torch

def layernorm_forward(x, gamma, beta, eps=1e-5):
    t = torch.from_numpy(x)
    dims = tuple(range(1, t.dim()))
    mu = t.mean(dim=dims, keepdim=True)
    var = t.var(dim=dims, keepdim=True, unbiased=True)
    return ((t - mu) / (var.sqrt() + eps)).numpy() * gamma
"""


def test_several_mistakes_in_one_output_are_each_named(check: Diagnose) -> None:
    found = check("layernorm-forward", LAYERNORM_FOUR_MISTAKES_TORCH)
    assert ids(found) == ["wrong-axes", "unbiased-variance", "eps-outside-sqrt", "affine-missing"]


# --- what must not be named ---------------------------------------------------------------------

UNRECOGNIZABLE = {
    "bn-forward": """
    import numpy as np

    def batchnorm_forward(x, gamma, beta, eps=1e-5):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        xhat = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
        return 1.01 * (gamma.reshape(shape) * xhat + beta.reshape(shape))
    """,
    "layernorm-forward": """
    def layernorm_forward(x, gamma, beta, eps=1e-5):
        return x * gamma + beta
    """,
    "groupnorm-forward": """
    import numpy as np

    def groupnorm_forward(x, num_groups, gamma, beta, eps=1e-5):
        return np.zeros_like(x)
    """,
    "rmsnorm-forward": """
    import numpy as np

    def rmsnorm_forward(x, weight, eps=1e-6):
        return np.tanh(x) * weight
    """,
    "layernorm-backward": """
    import numpy as np

    def layernorm_backward(dout, x, gamma, eps=1e-5):
        lead = tuple(range(x.ndim - gamma.ndim))
        return dout * 0.5, (dout * x).sum(axis=lead), dout.sum(axis=lead)
    """,
    "linear-bn-fold": """
    def fold_linear_bn(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5):
        return weight * 2, gamma + beta
    """,
}


@pytest.mark.parametrize("drill", sorted(UNRECOGNIZABLE))
def test_code_with_an_unrecognizable_error_gets_no_diagnosis(check: Diagnose, drill: str) -> None:
    assert check(drill, UNRECOGNIZABLE[drill]) == ()


def test_a_known_mistake_mixed_into_an_unknown_one_in_the_same_output_is_not_named(
    check: Diagnose,
) -> None:
    source = """
    import numpy as np

    def batchnorm_forward(x, gamma, beta, eps=1e-5):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        mean = x.mean(axis=axes, keepdims=True)
        xhat = (x - mean) / np.sqrt(x.var(axis=axes, ddof=1, keepdims=True) + eps)
        return gamma.reshape(shape) * xhat + beta.reshape(shape) + 0.001
    """
    assert check("bn-forward", source) == ()


def test_an_extra_unknown_bug_in_another_output_is_listed_not_attributed(check: Diagnose) -> None:
    source = """
    import numpy as np

    def batchnorm_train_step(x, gamma, beta, state):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        out = gamma.reshape(shape) * (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + state["eps"])
        state["running_var"] = state["running_var"] + 1.0
        return out + beta.reshape(shape), state
    """
    found = check("bn-running-stats", source)
    assert ids(found) == ["running-stats-not-updated", UNEXPLAINED]
    assert "running_var" in message(found, UNEXPLAINED)


# --- backward passes ------------------------------------------------------------------------------

LAYERNORM_BACKWARD_BN_FORMULA = """
import numpy as np

def layernorm_backward(dout, x, gamma, eps=1e-5):
    axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
    lead = tuple(range(x.ndim - gamma.ndim))
    d = gamma.size
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    xhat = (x - mean) / np.sqrt(var + eps)
    with np.errstate(all="ignore"):
        dx = gamma / (d * np.sqrt(var)) * (
            d * dout - dout.sum(axis=axes, keepdims=True)
            - xhat * (dout * xhat).sum(axis=axes, keepdims=True)
        )
    return dx, (dout * xhat).sum(axis=lead), dout.sum(axis=lead)
"""


def test_batchnorm_compact_formula_in_layernorm_and_eps_dropped_from_dx(check: Diagnose) -> None:
    found = check("layernorm-backward", LAYERNORM_BACKWARD_BN_FORMULA)
    assert sorted(ids(found)) == ["gamma-outside-sums", "missing-eps"]
    assert "Your x_hat is right, but for dx's factor 1/std" in message(found, "missing-eps")


BN_BACKWARD_EPS_SUBTRACTED_TORCH = """
import torch

def batchnorm_backward(dout, x, gamma, eps=1e-5):
    d, t, g = (torch.from_numpy(a) for a in (dout, x, gamma))
    dims = [0] + list(range(2, t.dim()))
    shape = [1, -1] + [1] * (t.dim() - 2)
    mu, var = t.mean(dims, keepdim=True), t.var(dims, keepdim=True, unbiased=False)
    std = torch.sqrt(var - eps)
    xh = (t - mu) / std
    m = t.numel() // t.shape[1]
    dx = g.view(shape) / (m * std) * (m * d - d.sum(dims, keepdim=True) - xh * (d * xh).sum(dims, keepdim=True))
    return dx.numpy(), (d * xh).sum(dims).numpy(), d.sum(dims).numpy()
"""


def test_eps_subtracted_in_the_backward_pass(check: Diagnose) -> None:
    assert ids(check("bn-backward", BN_BACKWARD_EPS_SUBTRACTED_TORCH)) == ["eps-subtracted"]


def test_a_term_left_out_of_dx_is_named(check: Diagnose) -> None:
    source = """
    import numpy as np

    def batchnorm_backward(dout, x, gamma, eps=1e-5):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        m = x.size // x.shape[1]
        inv = 1 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
        xhat = (x - x.mean(axis=axes, keepdims=True)) * inv
        g = dout * gamma.reshape(shape)
        dx = inv / m * (m * g - xhat * (g * xhat).sum(axis=axes, keepdims=True))
        return dx, (dout * xhat).sum(axis=axes), dout.sum(axis=axes)
    """
    assert ids(check("bn-backward", source)) == ["mean-gradient-missing"]


def test_groupnorm_backward_in_loops_with_constant_statistics(check: Diagnose) -> None:
    source = """
    import numpy as np

    def groupnorm_backward(dout, x, num_groups, gamma, eps=1e-5):
        n, c = x.shape[:2]
        size = c // num_groups
        dx = np.empty_like(x)
        xhat = np.empty_like(x)
        for i in range(n):
            for g in range(num_groups):
                block = slice(g * size, (g + 1) * size)
                values = x[i, block]
                std = np.sqrt(values.var() + eps)
                xhat[i, block] = (values - values.mean()) / std
                scale = gamma[block].reshape((-1,) + (1,) * (x.ndim - 2))
                dx[i, block] = dout[i, block] * scale / std
        axes = (0,) + tuple(range(2, x.ndim))
        return dx, (dout * xhat).sum(axis=axes), dout.sum(axis=axes)
    """
    assert ids(check("groupnorm-backward", source)) == ["stats-treated-as-constants"]


def test_backward_axes_right_and_eps_outside_names_only_the_eps(check: Diagnose) -> None:
    source = """
    import numpy as np

    def layernorm_backward(dout, x, gamma, eps=1e-5):
        axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
        lead = tuple(range(x.ndim - gamma.ndim))
        d = gamma.size
        std = x.std(axis=axes, keepdims=True) + eps
        xhat = (x - x.mean(axis=axes, keepdims=True)) / std
        g = dout * gamma
        dx = (d * g - g.sum(axis=axes, keepdims=True) - xhat * (g * xhat).sum(axis=axes, keepdims=True)) / (d * std)
        return dx, (dout * xhat).sum(axis=lead), dout.sum(axis=lead)
    """
    assert ids(check("layernorm-backward", source)) == ["eps-outside-sqrt"]


# --- running statistics ---------------------------------------------------------------------------

NEITHER_STORED = {
    "numpy": """
    import numpy as np

    def batchnorm_train_step(x, gamma, beta, state):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        out = gamma.reshape(shape) * (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + state["eps"])
        n, m = x.size // x.shape[1], state["momentum"]
        state["mean"] = (1 - m) * state["running_mean"] + m * mean
        state["var"] = (1 - m) * state["running_var"] + m * var * n / (n - 1)
        return out + beta.reshape(shape), state
    """,
    "torch": """
    import torch

    def batchnorm_train_step(x, gamma, beta, state):
        t = torch.from_numpy(x)
        dims = [d for d in range(t.dim()) if d != 1]
        shape = [1, -1] + [1] * (t.dim() - 2)
        var, mean = torch.var_mean(t, dim=dims, unbiased=False)
        out = (t - mean.view(shape)) / torch.sqrt(var.view(shape) + state["eps"])
        out = out * torch.from_numpy(gamma).view(shape) + torch.from_numpy(beta).view(shape)
        return out.numpy(), dict(state)
    """,
}


@pytest.mark.parametrize("style", sorted(NEITHER_STORED))
def test_running_mean_and_running_var_both_never_stored(check: Diagnose, style: str) -> None:
    found = check("bn-running-stats", NEITHER_STORED[style])
    assert ids(found) == ["running-stats-not-updated"]
    assert "running_mean and running_var" in message(found, "running-stats-not-updated")


def test_weighing_before_counting_is_named_from_the_cases_that_ran(check: Diagnose) -> None:
    source = """
    import numpy as np

    def batchnorm_train_step(x, gamma, beta, state):
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        n = x.size // x.shape[1]
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        out = gamma.reshape(shape) * (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + state["eps"])
        factor = 1.0 / state["num_batches_tracked"]  # ZeroDivisionError on a fresh state
        state["num_batches_tracked"] += 1
        state["running_mean"] = (1 - factor) * state["running_mean"] + factor * mean
        state["running_var"] = (1 - factor) * state["running_var"] + factor * var * n / (n - 1)
        return out + beta.reshape(shape), state
    """
    found = check("bn-cumulative", source)
    assert ids(found) == ["count-off-by-one"] and "1/(k - 1)" in message(found, "count-off-by-one")


def test_a_count_never_incremented_is_named(check: Diagnose) -> None:
    source = """
    import torch

    def batchnorm_train_step(x, gamma, beta, state):
        t = torch.from_numpy(x)
        dims = [d for d in range(t.dim()) if d != 1]
        shape = [1, -1] + [1] * (t.dim() - 2)
        mean, var = t.mean(dims), t.var(dims, unbiased=False)
        out = (t - mean.view(shape)) / torch.sqrt(var.view(shape) + state["eps"])
        out = out * torch.from_numpy(gamma).view(shape) + torch.from_numpy(beta).view(shape)
        w = 1.0 / (state["num_batches_tracked"] + 1)
        state["running_mean"] = (1 - w) * state["running_mean"] + w * mean.numpy()
        state["running_var"] = (1 - w) * state["running_var"] + w * t.var(dims, unbiased=True).numpy()
        return out.numpy(), state
    """
    assert ids(check("bn-cumulative", source)) == ["count-not-incremented"]


MODULE_HEAD = """
    import torch
    from torch import nn

    class BatchNorm2d(nn.Module):
        def __init__(self, num_features, eps=1e-5, momentum=0.1):
            super().__init__()
            self.eps, self.momentum = eps, momentum
            self.weight = nn.Parameter(torch.ones(num_features))
            self.bias = nn.Parameter(torch.zeros(num_features))
            self.register_buffer("running_mean", torch.zeros(num_features))
            self.register_buffer("running_var", torch.ones(num_features))
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))
"""


def test_a_module_that_never_updates_running_mean_explains_its_eval_output(check: Diagnose) -> None:
    source = (
        MODULE_HEAD
        + """
        def forward(self, x):
            shape = (1, -1, 1, 1)
            if self.training:
                var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False)
                with torch.no_grad():
                    self.num_batches_tracked += 1
                    m = 1 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
                    n = x.numel() / x.shape[1]
                    self.running_var.lerp_(var * n / (n - 1), m)
            else:
                mean, var = self.running_mean, self.running_var
            y = (x - mean.view(shape)) / torch.sqrt(var.view(shape) + self.eps)
            return y * self.weight.view(shape) + self.bias.view(shape)
    """
    )
    assert ids(check("bn-module", source)) == ["running-stats-not-updated"]


# --- folding and eval ------------------------------------------------------------------------------

LINEAR_BIAS_UNSCALED = {
    "numpy": """
    import numpy as np

    def fold_linear_bn(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5):
        s = gamma / np.sqrt(running_var + eps)
        b = 0.0 if bias is None else bias
        return weight * s[:, None], b + (beta - s * running_mean)
    """,
    "torch": """
    import torch

    def fold_linear_bn(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5):
        w, m, v, g, b = (torch.from_numpy(a) for a in (weight, running_mean, running_var, gamma, beta))
        s = g * torch.rsqrt(v + eps)
        new_b = b - m * s if bias is None else torch.from_numpy(bias) + b - m * s
        return (w * s.unsqueeze(1)).numpy(), new_b.numpy()
    """,
}


@pytest.mark.parametrize("style", sorted(LINEAR_BIAS_UNSCALED))
def test_the_linear_bias_left_unscaled_in_another_form(check: Diagnose, style: str) -> None:
    found = check("linear-bn-fold", LINEAR_BIAS_UNSCALED[style])
    assert ids(found) == ["fusion-bias-unscaled"]
    assert "the layer's bias b unscaled" in message(found, "fusion-bias-unscaled")


def test_conv_fold_with_the_mean_kept_and_no_eps(check: Diagnose) -> None:
    source = """
    import copy
    import torch

    def fuse_conv_bn(conv, bn):
        fused = copy.deepcopy(conv)
        s = bn.weight / torch.sqrt(bn.running_var)
        b = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
        with torch.no_grad():
            fused.weight = torch.nn.Parameter(conv.weight * s.view(-1, 1, 1, 1))
            fused.bias = torch.nn.Parameter(b * s + bn.bias)
        return fused
    """
    assert sorted(ids(check("fuse-conv-bn", source))) == ["mean-not-subtracted", "missing-eps"]


def test_a_weight_left_unscaled_is_named(check: Diagnose) -> None:
    source = """
    import numpy as np

    def fold_linear_bn(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5):
        s = gamma / np.sqrt(running_var + eps)
        b = np.zeros_like(running_mean) if bias is None else bias
        return weight.copy(), (b - running_mean) * s + beta
    """
    assert ids(check("linear-bn-fold", source)) == ["weight-unscaled"]


def test_eval_with_eps_outside_and_without_gamma(check: Diagnose) -> None:
    source = """
    import numpy as np

    def batchnorm_eval(x, running_mean, running_var, gamma, beta, eps=1e-5):
        shape = (1, -1) + (1,) * (x.ndim - 2)
        std = np.sqrt(running_var.reshape(shape)) + eps
        return (x - running_mean.reshape(shape)) / std + beta.reshape(shape)
    """
    found = check("bn-eval", source)
    assert ids(found) == ["eps-outside-sqrt", "affine-missing"]


# --- what the families call right is what PyTorch computes -------------------------------------


def _context_of(drill: str) -> Context:
    """A context whose submission is PyTorch's own output, with the drill's cases."""
    request = build_request(BANK, BANK.drills[drill], Path("unused.py"), 0, 10.0, 4096)
    cases, references = prepared(request.cases, request.reference, 0)
    return Context.build(request, cases, references, [[a for _, a in r] for r in references])


def _close_to_reference(context: Context, unit: tuple[int, int], got: np.ndarray) -> bool:
    return compare(got, context.reference(unit), *context.tolerances[unit[0]]).ok


@pytest.mark.parametrize(
    "drill",
    [
        "bn-forward",
        "layernorm-forward",
        "groupnorm-forward",
        "instancenorm-forward",
        "rmsnorm-forward",
        "bn-running-stats",
        "bn-module",
    ],
)
def test_the_right_forward_variant_is_pytorchs(drill: str) -> None:
    context = _context_of(drill)
    layer, read = families.FORWARD[context.request.reference]
    items = families.each_case(context, read)
    assert len(items) >= len(context.cases)
    for item in items:
        labels = rule_labels(layer.rules[0], item.x.shape, item.param)
        assert labels is not None
        assert _close_to_reference(context, item.unit, normalized(item, labels, layer)[0])


@pytest.mark.parametrize("drill", ["bn-backward", "layernorm-backward", "groupnorm-backward"])
def test_the_right_backward_variant_is_autograds(drill: str) -> None:
    context = _context_of(drill)
    layer, read = families.BACKWARD[context.request.reference]
    for item in families.each_case(context, read):
        labels = rule_labels(layer.rules[0], item.x.shape, item.param)
        assert labels is not None
        parts = backward.terms(item, labels)
        assert _close_to_reference(
            context, item.units[0], backward.dx_variants(item, parts)[0, 0, 0].reshape(item.x.shape)
        )
        axes = item.param_axes(item.params[0])
        dgamma = (item.dout * parts.xhat[0, 0].reshape(item.x.shape)).sum(axis=axes)
        assert _close_to_reference(context, item.units[1], dgamma)


@pytest.mark.parametrize("drill", ["bn-running-stats", "bn-cumulative", "bn-module"])
def test_the_right_running_update_is_pytorchs(drill: str) -> None:
    context = _context_of(drill)
    items = families.each_case(context, families.RUNNING[context.request.reference])
    assert items
    for item in items:
        mean_runs, var_runs = running.runs(item)
        for step, unit in enumerate(item.mean_units):
            assert _close_to_reference(context, unit, mean_runs[0, step])
        for step, unit in enumerate(item.var_units):
            assert _close_to_reference(context, unit, var_runs[0, step])


@pytest.mark.parametrize("drill", ["linear-bn-fold", "fuse-conv-bn", "bn-affine", "bn-eval"])
def test_the_right_folding_and_eval_are_pytorchs(drill: str) -> None:
    context = _context_of(drill)
    if drill == "bn-eval":
        for item in families.each_case(context, families._bn_eval):
            assert _close_to_reference(context, item.unit, evaluation.evaluated(item)[0])
        return
    read, forms = families.FOLDING[context.request.reference]
    for item in families.each_case(context, read):
        s = folding.scales(item)
        expected = {
            "weight": folding.weights(item, s)[0, 0],
            "bias": folding.biases(item, s, forms)[0, 0],
        }
        for name, unit in item.units.items():
            if name in expected:
                assert _close_to_reference(context, unit, expected[name])


def test_the_groupings_named_after_layers_are_those_layers() -> None:
    import torch
    import torch.nn.functional as F

    x = np.random.default_rng(3).normal(size=(2, 6, 3, 4))
    t = torch.from_numpy(x)
    expected = {
        ChannelRule(True, "each", "all"): F.batch_norm(t, None, None, training=True),
        ChannelRule(False, "all", "all"): F.layer_norm(t, t.shape[1:]),
        ChannelRule(False, "each", "all"): F.instance_norm(t),
        ChannelRule(False, "groups", "all"): F.group_norm(t, 3),
    }
    assert set(expected) == set(KNOWN_CHANNEL)
    assert torch.allclose(F.layer_norm(t, t.shape[1:]), F.group_norm(t, 1))  # "one group"
    for rule, want in expected.items():
        layer = Layer("x", (rule,), True, ("none",))
        item = NormItem((0, 0), x, 3, None, None, 1e-5)
        labels = rule_labels(rule, x.shape, 3)
        assert labels is not None
        assert np.allclose(normalized(item, labels, layer)[0], want.numpy(), atol=1e-10)
    batch_first = np.random.default_rng(4).normal(size=(8, 5))
    rule = TrailingRule("first", "none")  # "BatchNorm's grouping" for a LayerNorm input
    labels = rule_labels(rule, batch_first.shape, 1)
    assert labels is not None
    item = NormItem((0, 0), batch_first, 1, None, None, 1e-5)
    want = F.batch_norm(torch.from_numpy(batch_first), None, None, training=True).numpy()
    assert np.allclose(normalized(item, labels, Layer("x", (rule,), True, ("none",)))[0], want)


# --- choosing what to name ----------------------------------------------------------------------


def _findings_context(failing: set[tuple[int, int]]) -> Context:
    request = build_request(BANK, BANK.drills["bn-forward"], Path("unused.py"), 0, 10.0, 4096)
    cases, references = prepared(request.cases, request.reference, 0)
    context = Context.build(request, cases, references, [[a for _, a in r] for r in references])
    return Context(
        request, cases, references, context.outputs, context.tolerances, frozenset(failing)
    )


def _finding(*mistakes: str, explains: set[tuple[int, int]]) -> Finding:
    return Finding(tuple(Diagnosis(m, f"{m} text") for m in mistakes), frozenset(explains))


def test_the_smallest_explanation_is_named() -> None:
    context = _findings_context({(0, 0), (1, 0)})
    findings = [
        _finding("a", explains={(0, 0), (1, 0)}),
        _finding("a", "b", explains={(0, 0), (1, 0)}),  # b adds nothing
    ]
    assert ids(select(context, findings, [])) == ["a"]


def test_two_different_smallest_explanations_name_only_what_they_share() -> None:
    context = _findings_context({(0, 0)})
    found = select(
        context, [_finding("a", explains={(0, 0)}), _finding("b", explains={(0, 0)})], []
    )
    assert found == ()  # a or b: nothing both agree on
    shared = [_finding("a", "c", explains={(0, 0)}), _finding("a", "d", explains={(0, 0)})]
    assert ids(select(context, shared, [])) == ["a", UNEXPLAINED]  # c or d: that part is open


def test_failures_no_named_mistake_explains_are_listed() -> None:
    context = _findings_context({(0, 0), (1, 0)})
    found = select(context, [_finding("a", explains={(0, 0)})], [])
    assert ids(found) == ["a", UNEXPLAINED]
    assert context.cases[1].name in message(found, UNEXPLAINED)
    undetermined = Finding((Diagnosis("a", "a text"),), frozenset({(0, 0)}), frozenset({(1, 0)}))
    assert ids(select(context, [undetermined], [])) == ["a", UNCHECKED]


def test_bank_mistakes_come_first_in_the_manifests_order() -> None:
    context = _findings_context({(0, 0), (1, 0)})
    findings = [_finding("z", explains={(0, 0)}), _finding("y", explains={(1, 0)})]
    assert ids(select(context, findings, ["y"])) == ["y", "z"]


def test_a_spatial_batchnorm_reshaped_without_moving_channels_last(check: Diagnose) -> None:
    source = """
    import numpy as np

    def batchnorm_forward(x, gamma, beta, eps=1e-5):
        c = x.shape[1]
        flat = x.reshape(-1, c)
        y = (flat - flat.mean(axis=0)) / np.sqrt(flat.var(axis=0) + eps) * gamma + beta
        return y.reshape(x.shape)
    """
    found = check("bn-forward", source)
    assert ids(found) == ["wrong-axes"] and "x.reshape(-1, C)" in message(found, "wrong-axes")


def test_a_module_forward_mistake_leaves_its_gradients_unchecked_not_unexplained(
    check: Diagnose,
) -> None:
    source = (
        MODULE_HEAD
        + """
        def forward(self, x):
            shape = (1, -1, 1, 1)
            if self.training:
                mean, var = x.mean(dim=(0, 2, 3)), x.var(dim=(0, 2, 3), unbiased=False)
                with torch.no_grad():
                    self.num_batches_tracked += 1
                    m = 1 / float(self.num_batches_tracked) if self.momentum is None else self.momentum
                    n = x.numel() / x.shape[1]
                    self.running_mean.lerp_(mean, m)
                    self.running_var.lerp_(var * n / (n - 1), m)
            else:
                mean, var = self.running_mean, self.running_var
            y = (x - mean.view(shape)) / (torch.sqrt(var.view(shape)) + self.eps)
            return y * self.weight.view(shape) + self.bias.view(shape)
    """
    )
    found = check("bn-module", source)
    assert ids(found) == ["eps-outside-sqrt", UNCHECKED]
    assert "step1.dx" in message(found, UNCHECKED) and "gradient" in message(found, UNCHECKED)


# --- never a wrong name: generated submissions with known mistakes ---------------------------

BN_AXES = {
    "(0,) + tuple(range(2, x.ndim))": set(),
    "tuple(range(1, x.ndim))": {"wrong-axes"},
    "(0,)": {"wrong-axes"},
}
BN_EPS = {
    "np.sqrt(var + eps)": set(),
    "(np.sqrt(var) + eps)": {"eps-outside-sqrt"},
    "np.sqrt(var + 1e-3)": None,  # a mistake no family models
}
BN_AFFINE = {"g * xhat + b": set(), "xhat + b": {"affine-missing"}, "g * (xhat + b)": None}


@pytest.mark.parametrize("axes", sorted(BN_AXES))
@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("eps", sorted(BN_EPS))
@pytest.mark.parametrize("affine", sorted(BN_AFFINE))
def test_generated_mistakes_are_named_exactly_or_not_at_all(
    check: Diagnose, axes: str, ddof: int, eps: str, affine: str
) -> None:
    source = f"""
    import numpy as np

    def batchnorm_forward(x, gamma, beta, eps=1e-5):
        axes = {axes}
        shape = (1, -1) + (1,) * (x.ndim - 2)
        g, b = gamma.reshape(shape), beta.reshape(shape)
        mean = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, ddof={ddof}, keepdims=True)
        with np.errstate(all="ignore"):
            xhat = (x - mean) / {eps}
        return {affine}
    """
    parts = [
        BN_AXES[axes],
        {"unbiased-variance"} if ddof else set(),
        BN_EPS[eps],
        BN_AFFINE[affine],
    ]
    found = check("bn-forward", source)
    if any(part is None for part in parts):
        assert found == ()
    else:
        assert set(ids(found)) == set().union(*(p for p in parts if p is not None))


@pytest.mark.parametrize(
    "drill, source",
    [
        (
            "bn-forward",
            """
            import numpy as np
            def batchnorm_forward(x, gamma, beta, eps=1e-5):
                axes = (0,) + tuple(range(2, x.ndim))
                shape = (1, -1) + (1,) * (x.ndim - 2)
                m, v = x.mean(axes, keepdims=True), x.var(axes, keepdims=True)
                return beta.reshape(shape) * (x - m) / np.sqrt(v + eps) + gamma.reshape(shape)
            """,
        ),
        (
            "layernorm-forward",
            """
            import torch
            def layernorm_forward(x, gamma, beta, eps=1e-5):
                t, dims = torch.from_numpy(x), tuple(range(x.ndim - gamma.ndim, x.ndim))
                m = t.mean(dims, keepdim=True)
                v = ((t - m) ** 2).mean(dims, keepdim=True)
                xhat = (t - m) / torch.sqrt(v + eps)
                return (xhat * torch.from_numpy(beta) + torch.from_numpy(gamma)).numpy()
            """,
        ),
    ],
)
def test_gamma_and_beta_swapped_is_named(check: Diagnose, drill: str, source: str) -> None:
    assert ids(check(drill, source)) == ["gamma-beta-swapped"]


@pytest.mark.parametrize(
    "source, expected",
    [
        (  # numpy, statistics over the output axis
            """
            import numpy as np
            def weight_standardization(weight, eps=1e-5):
                m, v = weight.mean(axis=0, keepdims=True), weight.var(axis=0, keepdims=True)
                return (weight - m) / np.sqrt(v + eps)
            """,
            ["wrong-axes"],
        ),
        (  # torch, unbiased std with eps outside the root
            """
            import torch
            def weight_standardization(weight, eps=1e-5):
                flat = torch.from_numpy(weight).reshape(weight.shape[0], -1)
                m, sd = flat.mean(1, keepdim=True), flat.std(1, keepdim=True)
                return ((flat - m) / (sd + eps)).reshape(weight.shape).numpy()
            """,
            ["unbiased-variance", "eps-outside-sqrt"],
        ),
    ],
)
def test_weight_standardization_has_a_family(check: Diagnose, source: str, expected: list[str]):
    found = check("weight-standardization", source)
    assert ids(found) == expected
    assert "BatchNorm" not in " ".join(d.message for d in found)  # weights, not activations
