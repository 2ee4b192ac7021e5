"""The grader against learner code in many styles: right code passes, wrong code fails with
its diagnosis, and hostile mistakes get a clear status while normquiz survives."""

from __future__ import annotations

import os
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from normquiz.bank.loader import load_bank
from normquiz.drills.check import check_file
from normquiz.drills.worker import grading_worker
from normquiz.sandbox.client import SandboxWorker

BANK = load_bank(use_env=False)
CORRECT_BN = """
import numpy as np

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return gamma.reshape(shape) * (x - mean) / np.sqrt(var + eps) + beta.reshape(shape)
"""


@pytest.fixture(scope="module")
def worker():
    with grading_worker() as shared:
        yield shared


def grade(
    worker: SandboxWorker,
    tmp_path: Path,
    source: str,
    drill: str = "bn-forward",
    timeout: float = 10.0,
) -> dict:
    """The result as `check --json` prints it."""
    path = tmp_path / f"{drill}-{uuid.uuid4().hex[:6]}.py"
    path.write_text(textwrap.dedent(source))
    return check_file(BANK, BANK.drills[drill], path, worker, timeout=timeout).to_json()


# --- both sides, for each drill -------------------------------------------------------------


@pytest.mark.parametrize("drill", sorted(BANK.drills))
def test_reference_passes_and_starter_fails(worker, drill: str) -> None:
    spec = BANK.drills[drill]
    solution = check_file(BANK, spec, BANK.drill_file(drill, spec.solution), worker)
    assert solution.passed, solution.verdict.message
    starter = check_file(BANK, spec, BANK.drill_file(drill, spec.starter), worker)
    assert starter.status in ("fail", "error")


@pytest.mark.parametrize(
    "drill, mistake", [(d, m.id) for d in sorted(BANK.drills) for m in BANK.drills[d].mistakes]
)
def test_each_known_mistake_is_diagnosed_as_itself(worker, drill: str, mistake: str) -> None:
    spec = BANK.drills[drill]
    [entry] = [m for m in spec.mistakes if m.id == mistake]
    result = check_file(BANK, spec, BANK.drill_file(drill, entry.file), worker)
    assert result.status == "fail"
    assert result.diagnosis_ids == [mistake]


def test_starter_of_running_stats_is_not_silently_diagnosed_as_one_mistake(worker) -> None:
    spec = BANK.drills["bn-running-stats"]
    result = check_file(BANK, spec, BANK.drill_file("bn-running-stats", spec.starter), worker)
    assert result.status == "fail"  # three bugs at once, each named for the outputs it explains
    assert result.diagnosis_ids == [
        "running-stats-not-updated",
        "momentum-inverted",
        "biased-running-var",
    ]


ALTERNATIVES = Path(__file__).parent / "alt_solutions"


@pytest.mark.parametrize("path", sorted(ALTERNATIVES.glob("*.py")), ids=lambda p: p.stem)
def test_independently_written_solutions_pass(worker, path: Path) -> None:
    """Correct code in another style than the reference (files named <drill>[.style].py)."""
    drill = path.stem.split(".")[0]
    result = check_file(BANK, BANK.drills[drill], path, worker)
    assert result.passed, (result.verdict.message, result.verdict.first_failure)


def test_loop_over_channels_passes(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import numpy as np

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            out = np.empty_like(x)
            for c in range(x.shape[1]):
                values = x[:, c]
                mu = values.mean()
                sigma2 = ((values - mu) ** 2).mean()
                out[:, c] = gamma[c] * (values - mu) / np.sqrt(sigma2 + eps) + beta[c]
            return out
    """,
    )
    assert result["status"] == "pass", result


def test_torch_tensor_math_passes(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import torch

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            t = torch.from_numpy(x)
            dims = [0] + list(range(2, t.dim()))
            mean = t.mean(dim=dims, keepdim=True)
            var = t.var(dim=dims, unbiased=False, keepdim=True)
            view = [1, -1] + [1] * (t.dim() - 2)
            g, b = torch.from_numpy(gamma).view(view), torch.from_numpy(beta).view(view)
            return (t - mean) / torch.sqrt(var + eps) * g + b
    """,
    )
    assert result["status"] == "pass", result


def test_running_stats_returning_a_new_dict_passes(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import numpy as np

        def batchnorm_train_step(x, gamma, beta, state):
            axes = tuple(i for i in range(x.ndim) if i != 1)
            shape = [1] * x.ndim
            shape[1] = -1
            n = x.size / x.shape[1]
            mean, var = x.mean(axis=axes), x.var(axis=axes)
            out = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + state["eps"])
            out = out * gamma.reshape(shape) + beta.reshape(shape)
            m = state["momentum"]
            return out, {**state,
                         "running_mean": state["running_mean"] + m * (mean - state["running_mean"]),
                         "running_var": (1 - m) * state["running_var"] + m * var * n / (n - 1)}
    """,
        drill="bn-running-stats",
    )
    assert result["status"] == "pass", result


# --- hostile or broken code -----------------------------------------------------------------


def test_infinite_loop_in_the_function_times_out(worker, tmp_path: Path) -> None:
    started = time.perf_counter()
    result = grade(
        worker,
        tmp_path,
        "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    while True:\n        pass\n",
        timeout=2.0,
    )
    assert result["status"] == "timeout" and time.perf_counter() - started < 2.0 + 2.0


def test_infinite_loop_at_import_times_out(worker, tmp_path: Path) -> None:
    started = time.perf_counter()
    result = grade(worker, tmp_path, "while True:\n    pass\n", timeout=2.0)
    assert result["status"] == "timeout" and time.perf_counter() - started < 2.0 + 2.0


def test_huge_allocation_is_memory_or_error(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import numpy as np

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            return np.ones(50 * 2**30, dtype=np.uint8)
    """,
    )
    assert (
        result["status"] in ("memory", "error")
        and "memory" in result["cases"][0]["message"].lower()
    )


def test_a_memory_hog_stops_at_its_first_case_and_says_so(worker, tmp_path: Path) -> None:
    """Every case allocating gigabytes before failing once made the check run out of time
    ("look for an endless loop"); the first case out of memory now ends the run."""
    result = grade(
        worker,
        tmp_path,
        """
        import numpy as np

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            kept = [np.empty(2**28) for _ in range(4)]  # 2 GB each: over the 4096 MB limit
            return x + 0 * len(kept)
    """,
        timeout=30.0,
    )
    assert result["status"] == "memory", result["message"]
    assert "ran out of memory (limit 4096 MB)" in result["message"]
    assert "endless loop" not in result["message"]
    assert [row["status"] for row in result["cases"][1:]] == ["error"] * (len(result["cases"]) - 1)


def test_20_mb_of_prints_then_a_correct_answer_passes_with_output_capped(
    worker, tmp_path: Path
) -> None:
    result = grade(
        worker,
        tmp_path,
        CORRECT_BN.replace(
            "def batchnorm_forward(x, gamma, beta, eps=1e-5):",
            "print('START' + 'x' * (20 * 2**20))\n\ndef batchnorm_forward(x, gamma, beta, eps=1e-5):\n    print('called')",
        ),
    )
    assert result["status"] == "pass"
    output = result["output"]
    assert output["bytes"] > 20 * 2**20 and output["head"].startswith("START")
    assert (
        len(output["head"]) <= 4096 and len(output["tail"]) <= 4096 and "called" in output["tail"]
    )


@pytest.mark.parametrize(
    "source, words",
    [
        ("import os\nos._exit(0)\n", "os._exit"),
        (
            "import sys\ndef batchnorm_forward(x, gamma, beta, eps=1e-5):\n    sys.exit(0)\n",
            "sys.exit(0)",
        ),
        (
            "import os, signal\ndef batchnorm_forward(x, gamma, beta, eps=1e-5):\n    os.kill(os.getpid(), signal.SIGKILL)\n",
            "SIGKILL",
        ),
        (
            "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    raise KeyboardInterrupt\n",
            "KeyboardInterrupt",
        ),
        (
            "def batch_norm_forward(x, gamma, beta, eps=1e-5):\n    return x\n",
            "defines no function `batchnorm_forward`",
        ),
        (
            "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return 1 / 0\n",
            "ZeroDivisionError",
        ),
    ],
)
def test_code_that_ends_or_breaks_its_process_is_an_error(
    worker, tmp_path: Path, source: str, words: str
) -> None:
    result = grade(worker, tmp_path, source)
    assert result["status"] == "error"
    text = result["message"] + " ".join(c["message"] for c in result["cases"])
    assert words in text


def test_traceback_is_trimmed_to_the_learners_file(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import numpy as np

        def helper(x):
            return np.reshape(x, (7, 7, 7))

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            return helper(x)
    """,
    )
    message = result["cases"][0]["message"]
    assert (
        "ValueError" in message
        and "line 5, in helper" in message
        and "numpy" not in message.split("\n", 1)[1]
    )


def test_syntax_error_reports_line_and_column_without_running(worker, tmp_path: Path) -> None:
    result = grade(
        worker, tmp_path, "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return (x +\n"
    )
    assert result["status"] == "error" and "SyntaxError" in result["message"]
    assert ":2:" in result["message"] or ":3:" in result["message"]
    assert result["output"] is None  # no process was started


def test_monkeypatching_torch_and_numpy_cannot_pass(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import numpy as np
        import torch

        np.allclose = lambda *args, **kwargs: True
        np.testing.assert_allclose = lambda *args, **kwargs: None
        np.array_equal = lambda *args, **kwargs: True
        torch.allclose = lambda *args, **kwargs: True

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            return np.zeros_like(x)
    """,
    )
    assert result["status"] == "fail"


def test_ndarray_subclass_with_a_lying_eq_fails(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import numpy as np

        class Liar(np.ndarray):
            def __eq__(self, other):
                return True
            def __ne__(self, other):
                return False

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            return np.zeros_like(x).view(Liar)
    """,
    )
    assert result["status"] == "fail"


def test_zeroing_the_inputs_in_place_fails(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        CORRECT_BN.replace(
            "    axes = (0,)", "    x[...] = 0\n    gamma[...] = 0\n    axes = (0,)"
        ),
    )
    assert result["status"] == "fail"


def test_banned_call_through_getattr_is_caught_at_run_time(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import torch
        import torch.nn.functional as F

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            norm = getattr(F, "batch" + "_norm")
            out = norm(torch.from_numpy(x), None, None, torch.from_numpy(gamma),
                       torch.from_numpy(beta), training=True, eps=eps)
            return out.numpy()
    """,
    )
    assert result["status"] == "fail" and [d["id"] for d in result["diagnosis"]] == ["banned-api"]
    assert "torch.nn.functional.batch_norm" in result["message"]


def test_banned_call_is_caught_statically(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import torch
        from torch import nn

        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            return nn.BatchNorm1d(x.shape[1])(torch.from_numpy(x)).detach().numpy()
    """,
    )
    assert result["status"] == "fail" and result["diagnosis"][0]["id"] == "banned-api"
    assert ":6:" in result["message"] and result["output"] is None


def test_correct_answer_leaving_a_child_process_passes_and_nothing_is_left(
    worker, tmp_path: Path
) -> None:
    marker = f"normquiz-orphan-{uuid.uuid4().hex}"
    result = grade(
        worker,
        tmp_path,
        CORRECT_BN
        + f"""
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{marker}"],
                 start_new_session=True)
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "{marker}"])
""",
    )
    assert result["status"] == "pass"
    time.sleep(0.2)
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                alive.append(pid)
        except OSError:
            pass
    assert alive == []


def test_nan_and_wrong_shape_fail_with_a_message(worker, tmp_path: Path) -> None:
    nan = grade(
        worker,
        tmp_path,
        "import numpy as np\ndef batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return x * np.nan\n",
    )
    assert nan["status"] == "fail" and "not finite" in nan["cases"][0]["message"]
    shape = grade(
        worker, tmp_path, "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return x.T\n"
    )
    assert shape["status"] == "fail" and "shape" in shape["cases"][0]["message"]
    text = grade(
        worker, tmp_path, "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return 'out'\n"
    )
    assert text["status"] == "fail" and "not a numeric array" in text["cases"][0]["message"]


def test_the_worker_survives_all_of_the_above(worker) -> None:
    assert worker.ping() > 0


def test_autograd_is_banned_in_backward_drills(worker, tmp_path: Path) -> None:
    result = grade(
        worker,
        tmp_path,
        """
        import torch

        def batchnorm_backward(dout, x, gamma, eps=1e-5):
            tx = torch.tensor(x, requires_grad=True)
            dims = [0] + list(range(2, tx.dim()))
            mean = tx.mean(dim=dims, keepdim=True)
            out = (tx - mean) / torch.sqrt(tx.var(dim=dims, unbiased=False, keepdim=True) + eps)
            out.backward(torch.tensor(dout))
            return tx.grad.numpy(), gamma * 0, gamma * 0
    """,
        drill="bn-backward",
    )
    assert result["status"] == "fail" and [d["id"] for d in result["diagnosis"]] == ["banned-api"]
    assert "torch.Tensor.backward" in result["message"]


def test_fusion_utility_is_banned_in_fuse_conv_bn(worker, tmp_path: Path) -> None:
    static = grade(
        worker,
        tmp_path,
        """
        from torch.nn.utils.fusion import fuse_conv_bn_eval

        def fuse_conv_bn(conv, bn):
            return fuse_conv_bn_eval(conv, bn)
    """,
        drill="fuse-conv-bn",
    )
    assert static["status"] == "fail" and static["diagnosis"][0]["id"] == "banned-api"
    dynamic = grade(
        worker,
        tmp_path,
        """
        import importlib

        def fuse_conv_bn(conv, bn):
            module = importlib.import_module("torch.nn.utils." + "fusion")
            return module.fuse_conv_bn_eval(conv, bn)
    """,
        drill="fuse-conv-bn",
    )
    assert dynamic["status"] == "fail", (dynamic["message"], dynamic["cases"][:1])
    assert dynamic["diagnosis"][0]["id"] == "banned-api"


CORE_DRILLS = [
    "bn-forward",
    "bn-running-stats",
    "bn-eval",
    "bn-backward",
    "layernorm-forward",
    "groupnorm-forward",
    "instancenorm-forward",
    "rmsnorm-forward",
    "fuse-conv-bn",
    "bn-module",
]


def test_every_core_drill_has_an_independent_solution() -> None:
    covered = {path.stem.split(".")[0] for path in ALTERNATIVES.glob("*.py")}
    assert set(CORE_DRILLS) <= covered and set(CORE_DRILLS) <= set(BANK.drills)
    assert len(BANK.drills) >= 24
