"""Bans mean the computation, not one spelling of it, and never catch correct code: every
route around a ban fails as banned-api (statically or at run time); introspection and
allowed libraries pass; learner code cannot reach normquiz or the worker."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pytest

from normquiz.bank.loader import load_bank
from normquiz.drills.check import check_file
from normquiz.drills.static import banned_calls, syntax_error
from tests.conftest import REPO

BANK = load_bank(use_env=False)


def grade(worker, tmp_path: Path, drill: str, source: str):
    path = tmp_path / f"{drill}-{uuid.uuid4().hex[:6]}.py"
    path.write_text(textwrap.dedent(source))
    return check_file(BANK, BANK.drills[drill], path, worker, timeout=30.0)


def banned(result) -> bool:
    return result.status == "fail" and result.diagnosis_ids == ["banned-api"]


BN_ROUTES = {
    "aten": 'getattr(torch.ops.aten, "batch" + "_norm")(t, g, b, None, None, True, 0.1, eps, False)',
    "aten-overload": 'getattr(torch.ops.aten, "batch_" + "norm").default('
    "t, g, b, None, None, True, 0.1, eps, False)",
    "variable-functions": 'getattr(torch._C._VariableFunctions, "batch" + "_norm")('
    "t, g, b, None, None, True, 0.1, eps, False)",
    "native-legit": 'getattr(torch, "_native_batch" + "_norm_legit")('
    "t, g, b, None, None, True, 0.1, eps)[0]",
    "VF": 'getattr(torch._VF, "batch" + "_norm")(t, g, b, None, None, True, 0.1, eps, False)',
    "module-path": 'getattr(__import__("torch.nn.modules.batchnorm", fromlist=["x"]), '
    '"Batch" + "Norm1d")(t.shape[1], eps=eps).double()(t.reshape(t.shape[0], t.shape[1], -1))'
    ".reshape(t.shape)",
}


@pytest.mark.parametrize("route", sorted(BN_ROUTES))
def test_every_route_to_batch_norm_is_banned_at_run_time(shared_worker, tmp_path, route) -> None:
    source = f"""
        import torch
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            t, g, b = torch.from_numpy(x), torch.from_numpy(gamma), torch.from_numpy(beta)
            out = {BN_ROUTES[route]}
            return out.detach().numpy()
    """
    assert banned(grade(shared_worker, tmp_path, "bn-forward", source))


def test_the_same_routes_are_seen_statically_when_spelled_out() -> None:
    names = BANK.drills["bn-forward"].banned_names()
    for spelled in (
        "torch.ops.aten.batch_norm(t)",
        "torch._C._VariableFunctions.native_batch_norm(t)",
        "torch._native_batch_norm_legit(t)",
        "from torch.nn.modules.batchnorm import BatchNorm2d",
    ):
        assert banned_calls(f"import torch\n{spelled}\n", names), spelled


VARIANCE_ROUTES = [
    "x.var(axis=0)",  # array method
    "x.std(0) ** 2",
    "np.cov(x.T, bias=True).reshape(x.shape[1], -1).diagonal() if x.shape[1] > 1 else "
    "np.atleast_1d(np.cov(x.T, bias=True))",
    "np.nanstd(x, axis=0) ** 2",
    "np.array([statistics.pvariance(c) for c in x.T.astype(float).tolist()])",
    "torch.from_numpy(x).var(0, unbiased=False).numpy()",
    "getattr(x, 'v' + 'ar')(axis=0)",  # hidden from the static check: the run time sees it
    "getattr(torch.from_numpy(x), 'v' + 'ar')(0, unbiased=False).numpy()",
    "getattr(np, 'c' + 'ov')(x.T, bias=True).diagonal()",
    "np.array([getattr(statistics, 'pvar' + 'iance')(c) for c in x.T.tolist()])",
]


@pytest.mark.parametrize("expression", VARIANCE_ROUTES)
def test_any_variance_built_in_fails_stable_variance(shared_worker, tmp_path, expression) -> None:
    source = f"""
        import statistics
        import numpy as np
        import torch
        def column_stats(x):
            return x.mean(axis=0), {expression}
    """
    assert banned(grade(shared_worker, tmp_path, "stable-variance", source))


def test_a_variable_named_var_is_not_a_variance_built_in(shared_worker, tmp_path) -> None:
    source = """
        import numpy as np
        class Stats:
            pass
        def column_stats(x):
            s = Stats()
            s.mean = x.astype(np.float64).mean(axis=0)
            d = x - s.mean.astype(x.dtype)
            s.var = (d.astype(np.float64) ** 2).mean(axis=0)
            return s.mean.astype(x.dtype), s.var.astype(x.dtype)
    """
    result = grade(shared_worker, tmp_path, "stable-variance", source)
    assert result.passed, result.verdict.message


AUTOGRAD_ROUTES = {
    "engine": "Variable._execution_engine.run_backward((y,), (torch.ones_like(y),), False, "
    "False, (t,), False, False)",
    "jacrev": "torch.func.jacrev(lambda v: (v * v).sum())(t)",
    "functional": "torch.autograd.functional.vjp(lambda v: (v * v).sum(), t)",
    "method": "y.backward(torch.ones_like(y))",
}


@pytest.mark.parametrize("route", sorted(AUTOGRAD_ROUTES))
def test_autograd_routes_fail_a_backward_drill(shared_worker, tmp_path, route) -> None:
    source = f"""
        import numpy as np
        import torch
        from torch.autograd.variable import Variable
        def batchnorm_backward(dout, x, gamma, eps=1e-5):
            t = torch.from_numpy(x).requires_grad_()
            y = t * 2
            {AUTOGRAD_ROUTES[route]}
            return np.zeros_like(x), np.zeros_like(gamma), np.zeros_like(gamma)
    """
    assert banned(grade(shared_worker, tmp_path, "bn-backward", source))


def test_introspection_and_compilation_never_trip_a_ban(shared_worker, tmp_path) -> None:
    """inspect walks sys.modules, torch._dynamo registers every aten op: both touch banned
    names without calling them."""
    source = """
        import inspect
        import torch
        import torch._dynamo

        def _standardize(t, eps):
            axes = (0,) + tuple(range(2, t.dim()))
            mean = t.mean(axes, keepdim=True)
            var = ((t - mean) ** 2).mean(axes, keepdim=True)
            return (t - mean) / torch.sqrt(var + eps)

        standardize = torch.compile(_standardize, backend="eager")

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            assert inspect.stack() and inspect.getouterframes(inspect.currentframe())
            assert torch.func.jacrev(lambda v: (v * 2).sum())(torch.ones(3)).shape == (3,)
            t = torch.from_numpy(x)
            shape = (1, -1) + (1,) * (x.ndim - 2)
            g = torch.from_numpy(gamma).reshape(shape)
            b = torch.from_numpy(beta).reshape(shape)
            return (standardize(t, eps) * g + b).numpy()
    """
    result = grade(shared_worker, tmp_path, "bn-forward", source)
    assert result.passed, result.verdict.message


def test_learner_code_cannot_import_normquiz(shared_worker, tmp_path) -> None:
    for line in ("from normquiz.drills.grading import prepared", "import normquiz"):
        source = f"""
            {line}
            def batchnorm_forward(x, gamma, beta, eps=1e-5):
                return x
        """
        result = grade(shared_worker, tmp_path, "bn-forward", source)
        assert result.status == "error" and "cannot import normquiz" in result.verdict.message


def test_learner_process_holds_no_expected_output_and_no_worker_pipe(
    shared_worker, tmp_path
) -> None:
    """What a hostile submission can see: its own three descriptors, no normquiz module,
    no array the shape of its output other than its input (no reference was ever here)."""
    source = """
        import gc, os, sys
        import numpy as np
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            fds = sorted(int(f) for f in os.listdir("/proc/self/fd"))
            same = [o for o in gc.get_objects() if isinstance(o, np.ndarray)
                    and o.shape == x.shape and o is not x]
            ours = [m for m in sys.modules if m.startswith("normquiz")]
            raise RuntimeError(f"fds={len(fds)} arrays={len(same)} modules={ours}")
    """
    result = grade(shared_worker, tmp_path, "bn-forward", source)
    message = result.verdict.first_failure.message
    # 0, 1, 2 and the descriptor listdir itself opened
    assert "fds=4 arrays=0 modules=[]" in message, message


def test_a_forged_report_is_an_error_never_a_pass(shared_worker, tmp_path) -> None:
    """The child writes its own report.json claiming results; the worker validates it."""
    source = """
        import gc, json, os
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            [job] = {o.job_dir for o in gc.get_objects() if type(o).__name__ == "LearnerRun"}
            forged = {"cases": [{"index": -1}], "banned": [], "import_error": None}
            with open(os.path.join(job, "report.json"), "w") as f:
                json.dump({"body": forged, "harness_error": None}, f)
            os._exit(0)
    """
    result = grade(shared_worker, tmp_path, "bn-forward", source)
    assert result.status == "error" and not result.passed


def test_a_200000_term_expression_is_a_message_not_a_crash() -> None:
    source = "x = " + "+".join(["1"] * 200_000) + "\n"
    finding = syntax_error(source, "deep.py")
    assert finding is not None and "nested too deeply" in finding.message
    assert banned_calls(source, ["numpy.var"]) == []


MORE_ROUTES = [
    # (drill, function header, body returning the banned computation)
    (
        "layernorm-forward",
        "layernorm_forward(x, gamma, beta, eps=1e-5)",
        'op = torch._C._jit_get_operation("aten::native_layer_norm")[0]\n'
        "    return op(t, [t.shape[-1]], g, b, eps)[0].numpy()",
    ),
    (
        "layernorm-forward",
        "layernorm_forward(x, gamma, beta, eps=1e-5)",
        'f = vars(torch._C._VariableFunctionsClass)["layer" + "_norm"]\n'
        "    return f(t, list(gamma.shape), g, b, eps).numpy()",
    ),
    (
        "layernorm-forward",
        "layernorm_forward(x, gamma, beta, eps=1e-5)",
        'f = getattr(__import__("torch._refs", fromlist=["x"]), "native_layer" + "_norm")\n'
        "    return f(t, list(gamma.shape), g, b, eps)[0].numpy()",
    ),
    (
        "stable-variance",
        "column_stats(x)",
        't = torch.from_numpy(x)\n    return x.mean(0), getattr(torch._C.TensorBase, "v" + "ar")'
        "(t, 0, unbiased=False).numpy()",
    ),
    (
        "stable-variance",
        "column_stats(x)",
        't = torch.from_numpy(x)\n    return x.mean(0), np.array([getattr(t[:, j], "c" + "ov")'
        "(correction=0).item() for j in range(x.shape[1])], x.dtype)",
    ),
    (
        "stable-variance",
        "column_stats(x)",
        'f = getattr(np.ma, "v" + "ar")\n    return x.mean(0), np.asarray(f(np.ma.masked_array(x), 0))',
    ),
    (
        "count-norm-params",
        "count_norm_params(spec)",
        'spec = dict(spec)\n    layer = getattr(torch.nn.modules, spec.pop("layer"))(**spec)\n'
        "    return sum(p.numel() for p in layer.parameters()), "
        "sum(b.numel() for b in layer.buffers())",
    ),
]


@pytest.mark.parametrize("drill, header, body", MORE_ROUTES)
def test_deeper_routes_reach_the_dispatcher_ban(shared_worker, tmp_path, drill, header, body):
    source = f"""
import numpy as np
import torch
def {header}:
    if "{header}".startswith("layer"):
        t, g, b = torch.from_numpy(x), torch.from_numpy(gamma), torch.from_numpy(beta)
    {body}
"""
    assert banned(grade(shared_worker, tmp_path, drill, source))


def test_no_gradient_graph_is_recorded_in_a_backward_drill(shared_worker, tmp_path) -> None:
    """Calling a node's derivative (y.grad_fn) or a fresh engine is autograd by hand: the
    child records no graph at all, and switching it back on is banned."""
    for body in (
        "y = t * 2\n    dx = y.grad_fn(torch.from_numpy(dout))[0]",
        "with torch.enable_grad():\n        dx = t * 2",
        "torch.set_grad_enabled(True)\n    dx = t * 2",
    ):
        source = f"""
import numpy as np
import torch
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    t = torch.from_numpy(x).requires_grad_()
    {body}
    return dx.detach().numpy(), gamma * 0, gamma * 0
"""
        result = grade(shared_worker, tmp_path, "bn-backward", source)
        assert not result.passed and result.status in ("fail", "error"), body


def test_correct_code_that_checks_its_input_type_passes(shared_worker, tmp_path) -> None:
    source = """
        import numpy as np
        def column_stats(x):
            assert isinstance(x, np.ndarray) and not isinstance(x, np.ma.MaskedArray)
            mean = x.mean(axis=0)
            d = x - mean
            return mean, (d * d).mean(axis=0)
    """
    result = grade(shared_worker, tmp_path, "stable-variance", source)
    assert result.passed, result.verdict.message


def test_a_crafted_array_header_is_refused_without_allocating(shared_worker, tmp_path) -> None:
    source = """
        import numpy as np
        def _save(path, array, allow_pickle=False):
            with open(path, "wb") as f:
                header = {"descr": "<f8", "fortran_order": False, "shape": (1 << 45,)}
                np.lib.format.write_array_header_1_0(f, header)
                f.write(bytes(64))
        np.save = _save
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            return x
    """
    result = grade(shared_worker, tmp_path, "bn-forward", source)
    assert result.status == "fail"
    assert "header describes" in result.verdict.first_failure.message


def test_the_reply_channel_cannot_be_reopened_from_learner_code(shared_worker, tmp_path) -> None:
    """The worker's requests and replies travel over sockets, which /proc/PID/fd cannot
    reopen (a pipe could be), in the worker and in the process that asked alike."""
    source = """
        import os
        def parent_of(pid):
            with open(f"/proc/{pid}/stat") as stat:
                return int(stat.read().rsplit(")", 1)[1].split()[1])
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            worker = parent_of(parent_of(os.getpid()))
            channel = os.readlink(f"/proc/{worker}/fd/0")[:7]
            opened = []
            for pid in (worker, parent_of(worker)):
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    try:
                        if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                            os.close(os.open(f"/proc/{pid}/fd/{fd}", os.O_WRONLY))
                            opened.append(fd)
                    except OSError:
                        pass
            raise RuntimeError(f"channel={channel} opened={opened}")
    """
    result = grade(shared_worker, tmp_path, "bn-forward", source)
    message = result.verdict.first_failure.message
    assert "channel=socket: opened=[]" in message, message


ROUND_TWO = [
    # a decomposition table holds PyTorch's own implementation of the op
    (
        "layernorm-forward",
        "layernorm_forward(x, gamma, beta, eps=1e-5)",
        "import torch._decomp as D\n"
        '    f = next(v for k, v in D.decomposition_table.items() if str(k).startswith("aten.native_layer_norm"))\n'
        "    t = torch.from_numpy(x)\n"
        "    return f(t, list(gamma.shape), torch.from_numpy(gamma), torch.from_numpy(beta), eps)[0].numpy()",
    ),
    # a nested tensor reaches another backend's kernel
    (
        "layernorm-forward",
        "layernorm_forward(x, gamma, beta, eps=1e-5)",
        "rows = [torch.from_numpy(r) for r in x.reshape(-1, *gamma.shape)]\n"
        '    op = getattr(torch.ops.aten, "native_layer" + "_norm").default\n'
        "    out = op(torch.nested.nested_tensor(rows), list(gamma.shape), torch.from_numpy(gamma), "
        "torch.from_numpy(beta), eps)[0]\n"
        "    return torch.stack(out.unbind()).reshape(x.shape).numpy()",
    ),
    # a fresh copy of a module whose functions were stubbed
    (
        "stable-variance",
        "column_stats(x)",
        'import importlib.util\n    spec = importlib.util.find_spec("statistics")\n'
        "    st = importlib.util.module_from_spec(spec)\n    spec.loader.exec_module(st)\n"
        '    f = getattr(st, "pvar" + "iance")\n'
        "    return x.mean(0), np.array([f(c.tolist()) for c in x.T.astype(float)], x.dtype)",
    ),
    (
        "stable-variance",
        "column_stats(x)",
        'import importlib\n    m = importlib.reload(__import__("numpy._core._methods", fromlist=["x"]))\n'
        '    return x.mean(0), getattr(m, "_v" + "ar")(x, axis=0)',
    ),
]


@pytest.mark.parametrize("drill, header, body", ROUND_TWO)
def test_tables_backends_and_fresh_copies_are_banned_too(
    shared_worker, tmp_path, drill, header, body
):
    source = f"""
import numpy as np
import torch
def {header}:
    {body}
"""
    assert banned(grade(shared_worker, tmp_path, drill, source))


def test_forward_mode_and_torchscript_autograd_are_banned(shared_worker, tmp_path) -> None:
    for body in (
        'getattr(torch, "_make_" + "dual")(torch.from_numpy(x), torch.ones(x.shape, dtype=torch.float64), 0)',
        'getattr(torch.jit, "scr" + "ipt")(lambda t: t)',
    ):
        source = f"""
import torch
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    {body}
    return x, gamma, gamma
"""
        assert banned(grade(shared_worker, tmp_path, "bn-backward", source)), body


def test_no_grad_and_inference_mode_pass_a_backward_drill(shared_worker, tmp_path) -> None:
    """Turning autograd off (again) is allowed where autograd is banned."""
    solution = (REPO / "solutions" / "layernorm-backward.py").read_text()
    for wrapper in ("torch.no_grad()", "torch.inference_mode()", "torch.set_grad_enabled(False)"):
        source = (
            solution
            + f"""

import torch
_inner = layernorm_backward
def layernorm_backward(*args, **kwargs):
    with {wrapper}:
        return _inner(*args, **kwargs)
"""
        )
        result = grade(shared_worker, tmp_path, "layernorm-backward", source)
        assert result.passed, (wrapper, result.verdict.message)


def test_a_method_of_your_own_named_var_is_not_a_built_in(shared_worker, tmp_path) -> None:
    source = """
        import numpy as np
        class Welford:
            def __init__(self, width):
                self.n, self.mean, self.m2 = 0, np.zeros(width), np.zeros(width)
            def push(self, row):
                self.n += 1
                delta = row - self.mean
                self.mean += delta / self.n
                self.m2 += delta * (row - self.mean)
            def var(self):
                return self.m2 / self.n
        def column_stats(x):
            w = Welford(x.shape[1])
            for row in x.astype(np.float64):
                w.push(row)
            return w.mean.astype(x.dtype), w.var().astype(x.dtype)
    """
    result = grade(shared_worker, tmp_path, "stable-variance", source)
    assert result.passed, result.verdict.message


def test_a_real_time_signal_is_named_not_a_crash(shared_worker, tmp_path) -> None:
    source = """
        import os
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            os.kill(os.getpid(), 40)  # a real-time signal: Python has no name for it
    """
    result = grade(shared_worker, tmp_path, "bn-forward", source)
    assert result.status == "error" and "signal 40" in result.verdict.message


def test_a_forged_report_with_every_field_is_still_checked(shared_worker, tmp_path) -> None:
    """Well-formed fields, impossible content (a case listed twice): an error verdict."""
    source = """
        import gc, json, os
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            [job] = {o.job_dir for o in gc.get_objects() if type(o).__name__ == "LearnerRun"}
            case = {"index": 0, "outputs": None, "error": None, "output_error": None,
                    "banned": False, "stop": False, "memory": False}
            forged = {"cases": [case, case], "banned": [], "import_error": None, "memory": False}
            with open(os.path.join(job, "report.json"), "w") as f:
                json.dump({"body": forged, "harness_error": None}, f)
            os._exit(0)
    """
    result = grade(shared_worker, tmp_path, "bn-forward", source)
    assert result.status == "error" and "case 0" in result.verdict.message
