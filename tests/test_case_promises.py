"""What a drill's prompt promises is a case: calls repeated between others (no state), the
default eps, float64 data far from zero for stable-variance, and tolerances stated in the
manifest (a far-from-zero tolerance included) rather than widened in code."""

from __future__ import annotations

import ast
import re
import textwrap
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import bank_file
from normquiz.bank.loader import load_bank, load_file
from normquiz.drills.cases import Case, same_inputs
from normquiz.drills.check import build_request, check_file
from normquiz.drills.compare import compare, tolerance_for, tolerance_key
from normquiz.drills.registry import CASE_GENERATORS, resolve
from normquiz.drills.request import CheckRequest
from normquiz.drills.worker import grading_worker
from normquiz.sandbox.client import SandboxWorker

BANK = load_bank(use_env=False)
REPO = Path(__file__).resolve().parent.parent


def cases_of(drill: str, seed: int = 0) -> list[Case]:
    generated: list[Case] = resolve(CASE_GENERATORS, BANK.drills[drill].cases)(seed)
    return generated


def request_for(drill: str) -> CheckRequest:
    return build_request(BANK, BANK.drills[drill], Path("unused.py"), 0, 10.0, 4096)


# --- repeated calls: no state between calls -----------------------------------------------


@pytest.mark.parametrize("name", sorted(CASE_GENERATORS))
def test_every_generator_calls_again_on_earlier_inputs_between_other_cases(name: str) -> None:
    cases: list[Case] = resolve(CASE_GENERATORS, name)(0)
    by_name = {case.name: case for case in cases}
    again = [i for i, case in enumerate(cases) if case.name.startswith("again: ")]
    assert len(again) >= 2
    position = {case.name: i for i, case in enumerate(cases)}
    between = 0  # repeats with another call in between (all but the last, without new values)
    for index in again:
        original = by_name[cases[index].name.removeprefix("again: ")]
        assert same_inputs(cases[index], original) and cases[index] is not original
        between += position[original.name] < index - 1
    assert between >= len(again) - 1
    assert again[0] < len(cases) - 3  # interleaved, not only at the end


@pytest.mark.parametrize("name", sorted(set(CASE_GENERATORS) - {"error-situations"}))
def test_new_values_come_in_the_shapes_of_the_case_called_again(name: str) -> None:
    cases: list[Case] = resolve(CASE_GENERATORS, name)(3)
    by_name = {case.name: case for case in cases}
    fresh = [case for case in cases if case.name.endswith(", new values")]
    assert fresh
    for case in fresh:
        original = by_name[case.name.removesuffix(", new values")]
        assert not same_inputs(case, original)
        assert _shapes(case) == _shapes(original)


def _shapes(case: Case) -> list[tuple[int, ...]]:
    return [a.shape for a in [*case.args, *case.steps] if isinstance(a, np.ndarray)]


@pytest.fixture(scope="module")
def worker():
    with grading_worker() as shared:
        yield shared


def grade(worker: SandboxWorker, tmp_path: Path, drill: str, source: str) -> dict:
    path = tmp_path / f"{drill}-{uuid.uuid4().hex[:6]}.py"
    path.write_text(textwrap.dedent(source))
    return check_file(BANK, BANK.drills[drill], path, worker).to_json()


def failed(result: dict) -> list[str]:
    return [row["name"] for row in result["cases"] if row["status"] != "pass"]


SHAPE_CACHE_LAYERNORM = """
    import numpy as np

    _statistics = {}

    def layernorm_forward(x, gamma, beta, eps=1e-5):
        axes = tuple(range(x.ndim - gamma.ndim, x.ndim))
        if x.shape not in _statistics:  # "the statistics of a shape never change"
            mean = x.mean(axis=axes, keepdims=True)
            _statistics[x.shape] = mean, x.var(axis=axes, keepdims=True)
        mean, var = _statistics[x.shape]
        return gamma * (x - mean) / np.sqrt(var + eps) + beta
"""
RUNNING_MEAN_LAYERNORM = """
    import torch

    class _Smoothed:
        calls = 0
        mean = None

        def __call__(self, x, gamma, beta, eps=1e-5):
            t = torch.from_numpy(x)
            dims = list(range(t.dim() - gamma.ndim, t.dim()))
            mean = t.mean(dim=dims, keepdim=True)
            var = t.var(dim=dims, unbiased=False, keepdim=True)
            _Smoothed.calls += 1
            if _Smoothed.mean is not None and _Smoothed.mean.shape == mean.shape:
                mean = (mean + _Smoothed.mean * (_Smoothed.calls - 1)) / _Smoothed.calls
            _Smoothed.mean = mean
            out = (t - mean) / torch.sqrt(var + eps)
            return (out * torch.from_numpy(gamma) + torch.from_numpy(beta)).numpy()

    layernorm_forward = _Smoothed()
"""
STATELESS_LAYERNORM = """
    import numpy as np

    def layernorm_forward(x, gamma, beta, eps=1e-5):
        rows = x.reshape(-1, gamma.size)
        out = np.empty_like(rows)
        for i, row in enumerate(rows):
            centered = row - row.sum() / row.size
            out[i] = centered / np.sqrt((centered ** 2).sum() / row.size + eps)
        return out.reshape(x.shape) * gamma + beta
"""


@pytest.mark.parametrize(
    "source", [SHAPE_CACHE_LAYERNORM, RUNNING_MEAN_LAYERNORM], ids=["shape-cache", "running-mean"]
)
def test_state_kept_between_calls_fails_fix_layernorm(
    worker: SandboxWorker, tmp_path: Path, source: str
) -> None:
    result = grade(worker, tmp_path, "fix-layernorm", source)
    assert result["status"] == "fail"
    assert any(name.startswith("again: ") or "new values" in name for name in failed(result))
    assert "2d" not in failed(result)  # right on a first call: only the state is wrong


def test_stateless_layernorm_passes_fix_layernorm(worker: SandboxWorker, tmp_path: Path) -> None:
    result = grade(worker, tmp_path, "fix-layernorm", STATELESS_LAYERNORM)
    assert result["status"] == "pass", (result["message"], result["first_failure"])


def test_running_buffers_kept_outside_the_state_fail_bn_running_stats(
    worker: SandboxWorker, tmp_path: Path
) -> None:
    result = grade(
        worker,
        tmp_path,
        "bn-running-stats",
        """
        import numpy as np

        BUFFERS = {}  # per layer width, kept here instead of trusting the state passed in

        def batchnorm_train_step(x, gamma, beta, state):
            axes = tuple(i for i in range(x.ndim) if i != 1)
            view = [1, -1] + [1] * (x.ndim - 2)
            mean, var = x.mean(axis=axes), x.var(axis=axes)
            n = x.size // x.shape[1]
            out = (x - mean.reshape(view)) / np.sqrt(var.reshape(view) + state["eps"])
            old = BUFFERS.get(x.shape[1:], (state["running_mean"], state["running_var"]))
            m = state["momentum"]
            new = ((1 - m) * old[0] + m * mean, (1 - m) * old[1] + m * var * n / (n - 1))
            BUFFERS[x.shape[1:]] = new
            state["running_mean"], state["running_var"] = new
            return out * gamma.reshape(view) + beta.reshape(view), state
        """,
    )
    assert result["status"] == "fail"
    assert failed(result) and all("," in name or ":" in name for name in failed(result))


# --- the default eps ------------------------------------------------------------------------


def _default_eps(drill: str) -> float | None:
    """The eps default in the starter's signature (the class's __init__ for a module drill)."""
    spec = BANK.drills[drill]
    tree = ast.parse(BANK.drill_file(drill, spec.starter).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in (spec.function, "__init__"):
            names = [a.arg for a in node.args.args]
            defaults = dict(
                zip(names[len(names) - len(node.args.defaults) :], node.args.defaults, strict=True)
            )
            if "eps" in defaults:
                return float(ast.literal_eval(defaults["eps"]))
    return None


@pytest.mark.parametrize("drill", sorted(BANK.drills))
def test_a_promised_default_eps_is_left_to_the_function_on_some_case(drill: str) -> None:
    default = _default_eps(drill)
    cases = cases_of(drill)
    left_out = [c for c in cases if c.defaults or c.state.get("defaults")]
    if default is None:
        assert not left_out
        return
    assert left_out, f"{drill} promises eps={default} but every case passes eps"
    assert "default" in BANK.drills[drill].prompt
    for case in left_out:
        assert case.defaults in ([default], []) and case.state.get("eps", default) == default


def test_a_wrong_default_eps_fails_only_where_eps_is_left_out(
    worker: SandboxWorker, tmp_path: Path
) -> None:
    result = grade(
        worker,
        tmp_path,
        "rmsnorm-forward",
        """
        import numpy as np

        def rmsnorm_forward(x, weight, eps=1e-5):  # LayerNorm's default, not RMSNorm's 1e-6
            axes = tuple(range(x.ndim - weight.ndim, x.ndim))
            return x / np.sqrt(np.mean(x ** 2, axis=axes, keepdims=True) + eps) * weight
        """,
    )
    assert result["status"] == "fail"
    assert {name.removeprefix("again: ").split(",")[0] for name in failed(result)} == {
        "default-eps"
    }


# --- other promises: the conv's geometry, no module built -------------------------------------


def test_a_fused_conv_that_drops_stride_padding_or_dilation_fails(
    worker: SandboxWorker, tmp_path: Path
) -> None:
    result = grade(
        worker,
        tmp_path,
        "fuse-conv-bn",
        """
        import torch

        def fuse_conv_bn(conv, bn):
            scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            bias = conv.bias if conv.bias is not None else torch.zeros_like(bn.running_mean)
            fused = torch.nn.Conv2d(conv.in_channels, conv.out_channels, conv.kernel_size,
                                    groups=conv.groups, dtype=conv.weight.dtype)
            with torch.no_grad():
                fused.weight.copy_(conv.weight * scale.reshape(-1, 1, 1, 1))
                fused.bias.copy_((bias - bn.running_mean) * scale + bn.bias)
            return fused
        """,
    )
    assert result["status"] == "fail"
    assert set(failed(result)) == {"stride-2-padding-1", "dilation-2"}


def test_count_norm_params_may_not_build_the_module(worker: SandboxWorker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        "count-norm-params",
        """
        import torch

        def count_norm_params(spec):
            options = {k: v for k, v in spec.items() if k != "layer"}
            layer = getattr(torch.nn, spec["layer"])(**options)
            return sum(p.numel() for p in layer.parameters()), sum(b.numel() for b in layer.buffers())
        """,
    )
    assert result["status"] == "fail" and result["diagnosis"][0]["id"] == "banned-api"


# --- stable-variance: float64 far from zero ---------------------------------------------------


def _naive(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    return mean, (x * x).mean(axis=0) - mean * mean


def _naive_upcast(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _naive(x.astype(np.float64))


def _two_pass(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    return mean, ((x - mean) ** 2).mean(axis=0)


def _welford(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Welford's update row by row, in the input's own dtype."""
    kind = x.dtype.type
    mean, m2 = np.zeros(x.shape[1], x.dtype), np.zeros(x.shape[1], x.dtype)
    for count, row in enumerate(x, start=1):
        delta = row - mean
        mean = mean + delta / kind(count)
        m2 = m2 + delta * (row - mean)
    return mean, m2 / kind(len(x))


def _worst_ratio(stats: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], case: Case) -> float:
    """The largest |error| / (atol + rtol |expected|) over both outputs, vs the exact values."""
    from normquiz.drills.references import column_stats

    atol, rtol = tolerance_for(request_for("stable-variance"), case)
    got = stats(case.array(0).copy())
    return max(
        float(np.max(np.abs(mine - want) / (atol + rtol * np.abs(want))))
        for mine, (_, want) in zip(got, column_stats(case), strict=True)
    )


def test_stable_variance_has_float64_data_around_1e4_and_1e5() -> None:
    far64 = [c for c in cases_of("stable-variance") if c.dtype == "float64" and c.far]
    centres = {round(float(np.log10(np.abs(c.array(0).mean())))) for c in far64}
    assert {4, 5} <= centres


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_upcast_naive_variance_fails_float64_far_cases_by_a_wide_margin(seed: int) -> None:
    cases = [c for c in cases_of("stable-variance", seed) if c.far]
    for case in cases:
        ratio = _worst_ratio(_naive_upcast, case)
        assert ratio > 50 if case.dtype == "float64" else ratio < 0.1, (case.name, ratio)


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("stats", [_two_pass, _welford], ids=["two-pass", "welford"])
def test_stable_methods_in_the_input_dtype_pass_every_case_with_room(
    stats: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]], seed: int
) -> None:
    for case in cases_of("stable-variance", seed):
        assert _worst_ratio(stats, case) < 0.5, case.name


def test_naive_variance_in_float32_fails_the_float32_far_cases() -> None:
    far32 = [c for c in cases_of("stable-variance") if c.far and c.dtype == "float32"]
    assert far32 and all(_worst_ratio(_naive, case) > 3 for case in far32)


def test_upcast_naive_variance_fails_stable_variance_and_two_pass_passes(
    worker: SandboxWorker, tmp_path: Path
) -> None:
    naive = grade(
        worker,
        tmp_path,
        "stable-variance",
        """
        import numpy as np

        def column_stats(x):
            x = x.astype(np.float64)
            mean = np.mean(x, axis=0)
            return mean, np.mean(x ** 2, axis=0) - mean ** 2
        """,
    )
    assert naive["status"] == "fail"
    assert {"far-1e4-float64", "far-1e5-float64"} <= set(failed(naive))
    assert not {"far-1e4", "far-1e5", "c1"} & set(failed(naive))  # float32: upcasting is enough
    welford32 = grade(
        worker,
        tmp_path,
        "stable-variance",
        """
        def column_stats(x):
            mean, m2 = x[0] * 0, x[0] * 0  # stays in x's dtype: float32 in, float32 maths
            for k, row in enumerate(x, start=1):
                step = row - mean
                mean = mean + step / k
                m2 = m2 + step * (row - mean)
            return mean, m2 / len(x)
        """,
    )
    assert welford32["status"] == "pass", (welford32["message"], welford32["first_failure"])


# --- tolerances: stated in the manifest -------------------------------------------------------


def test_far_float32_cases_use_the_manifests_far_tolerance() -> None:
    request = request_for("bn-forward")
    far = next(c for c in cases_of("bn-forward") if c.far and c.dtype == "float32")
    near = next(c for c in cases_of("bn-forward") if not c.far and c.dtype == "float32")
    stated = BANK.drills["bn-forward"].tolerances
    assert tolerance_key(request, far) == "far_float32"
    assert tolerance_for(request, far) == (stated["far_float32"].atol, stated["far_float32"].rtol)
    assert tolerance_for(request, near) == (stated["float32"].atol, stated["float32"].rtol)
    changed = replace(request, tolerances={**request.tolerances, "far_float32": (0.5, 0.0)})
    assert tolerance_for(changed, far) == (0.5, 0.0)


def test_without_a_far_tolerance_far_cases_get_the_dtypes_own() -> None:
    request = request_for("bn-forward")
    plain = replace(request, tolerances={k: request.tolerances[k] for k in ("float32", "float64")})
    far = next(c for c in cases_of("bn-forward") if c.far and c.dtype == "float32")
    assert tolerance_key(plain, far) == "float32"
    assert tolerance_for(plain, far) == request.tolerances["float32"]


def test_textbook_float32_forward_fails_far_data_at_the_float32_tolerance() -> None:
    """The far tolerance is needed (and stated) because correct float32 code misses 2e-4."""
    from normquiz.drills.references import bn_forward

    request = request_for("bn-forward")
    far = next(c for c in cases_of("bn-forward") if c.far and c.dtype == "float32")
    x, gamma, beta = far.arrays(3)
    mean = x.mean(axis=(0, 2), keepdims=True)
    var = ((x - mean) ** 2).mean(axis=(0, 2), keepdims=True)
    out = gamma.reshape(1, -1, 1) * (x - mean) / np.sqrt(var + 1e-5) + beta.reshape(1, -1, 1)
    [(_, want)] = bn_forward(far)
    assert compare(out.astype(np.float64), want, *tolerance_for(request, far)).ok
    assert not compare(out.astype(np.float64), want, *request.tolerances["float32"]).ok


def _spellings(value: float) -> set[str]:
    short = re.sub(r"e([-+])0*(\d)", r"e\1\2", f"{value:.0e}").replace("e+", "e")
    return {f"{value:g}", short}


@pytest.mark.parametrize("drill", sorted(BANK.drills))
def test_a_drill_with_far_data_states_its_far_tolerance_in_the_prompt(drill: str) -> None:
    request = request_for(drill)
    keys = {tolerance_key(request, case) for case in cases_of(drill) if case.far}
    prompt = " ".join(BANK.drills[drill].prompt.split())
    for key in keys - {"float64"}:
        atol, rtol = request.tolerances[key]
        assert any(f"atol {s}" in prompt for s in _spellings(atol)), (drill, key, atol)
        assert any(f"rtol {s}" in prompt for s in _spellings(rtol)), (drill, key, rtol)


MANIFEST = (REPO / "questions" / "drills.yaml").read_text()


def _first_drill_yaml(tolerances: str) -> str:
    start = MANIFEST.index("  - id: bn-forward")
    entry = MANIFEST[start : MANIFEST.index("\n  - id: ", start + 1) + 1]
    entry = re.sub(r"    tolerances:\n(      .*\n)+", "    tolerances:\n" + tolerances, entry)
    return entry.replace("id: bn-forward", "id: my-drill")


def test_a_drill_without_a_float32_tolerance_is_a_load_error_naming_it(tmp_path: Path) -> None:
    entry = _first_drill_yaml("      float64: {atol: 1.0e-8, rtol: 1.0e-7}\n")
    path = bank_file(tmp_path, "drills.yaml", entry, header="schema_version: 1\ndrills:\n")
    loaded = load_file(path)
    assert not loaded.drills
    [problem] = loaded.problems
    assert problem.id == "my-drill" and problem.field == "tolerances"
    assert "float32" in problem.message and "missing" in problem.message


def test_an_unknown_tolerance_key_is_a_load_error(tmp_path: Path) -> None:
    entry = _first_drill_yaml(
        "      float32: {atol: 2.0e-4, rtol: 1.0e-4}\n"
        "      float64: {atol: 1.0e-8, rtol: 1.0e-7}\n"
        "      far_float16: {atol: 1.0e-2, rtol: 1.0e-4}\n"
    )
    path = bank_file(tmp_path, "drills.yaml", entry, header="schema_version: 1\ndrills:\n")
    [problem] = load_file(path).problems
    assert problem.id == "my-drill" and "tolerances" in (problem.field or "")
