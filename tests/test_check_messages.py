"""Grader messages a learner can act on: numbers with digits enough to differ, shapes instead
of error figures, right values in the wrong shape named, named answers as names, the inputs
(None and layer specs included) and the tolerance of the failing case."""

from __future__ import annotations

import ast
import json
import re
import textwrap
import uuid
from pathlib import Path

import numpy as np
import pytest

from conftest import run_cli
from normquiz.bank.loader import load_bank
from normquiz.drills.cases import Case
from normquiz.drills.check import check_file
from normquiz.drills.compare import compare
from normquiz.drills.harness import ANSWERS
from normquiz.drills.presentation import compare_names, describe_inputs
from normquiz.drills.results import difference_text, distinct_digits

BANK = load_bank(use_env=False)


def check(worker, tmp_path: Path, drill: str, source: str) -> dict:
    """The result as `check --json` prints it."""
    path = tmp_path / f"{drill}-{uuid.uuid4().hex[:6]}.py"
    path.write_text(textwrap.dedent(source))
    return check_file(BANK, BANK.drills[drill], path, worker).to_json()


def shown_numbers(message: str) -> tuple[str, str]:
    found = re.search(r"expected (\S+), got (\S+) ", message)
    assert found, message
    return found[1], found[2]


# --- compare and its texts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected, got, shown",
    [
        (1.2345678, 1.2345679, ("1.2345678", "1.2345679")),  # 8 digits: 7 read the same
        (-1.66580012, -1.66580345, ("-1.6658", "-1.665803")),
        (0.25, 0.5, ("0.25", "0.5")),  # 6 is the least
        (1.0, float("nan"), ("1", "nan")),
        (0.1, 0.1 + 2**-56, ("0.10000000000000001", "0.10000000000000002")),  # 17 at most
    ],
)
def test_numbers_are_shown_with_the_fewest_digits_that_tell_them_apart(
    expected: float, got: float, shown: tuple[str, str]
) -> None:
    assert distinct_digits(expected, got) == shown


def test_a_value_failure_shows_distinct_numbers_and_the_relative_error() -> None:
    want = np.array([[0.5, -1.66580012]])
    got = want * (1 + np.array([[0.0, 2e-6]]))
    result = compare(got, want, 1e-8, 1e-7)
    assert not result.ok and result.index == (0, 1)
    mine, theirs = shown_numbers(result.message)
    assert mine != theirs and float(mine) == pytest.approx(-1.66580012, rel=1e-7)
    assert "relative 2e-06" in result.message
    assert compare(want, want, 1e-8, 1e-7).ok


def test_a_zero_expected_value_has_no_relative_error() -> None:
    result = compare(np.asarray(84.0), np.asarray(0.0), 0.0, 0.0)
    assert not result.ok and result.max_abs_err == 84.0 and result.max_rel_err is None
    assert result.message == "expected 0, got 84 (off by 84)"
    assert "relative" not in difference_text(0.0, 84.0)


def test_a_shape_mismatch_shows_the_shapes_and_no_error_figures() -> None:
    result = compare(np.zeros((3, 7)), np.ones(3), 1e-8, 1e-7)
    assert not result.ok and result.message == "shape (3, 7), expected (3,)"
    assert (result.max_abs_err, result.max_rel_err, result.expected, result.got) == (None,) * 4


@pytest.mark.parametrize(
    "got_shape, want_shape, hint",
    [
        ((1, 5), (5,), "drop the extra size-1 axes (keepdims)"),
        ((1, 5, 1, 1), (5,), "drop the extra size-1 axes (keepdims)"),
        ((5,), (1, 5, 1), "keep the size-1 axes (keepdims=True)"),
        ((4, 3), (3, 4), "reshape the result to (3, 4)"),
        ((12,), (3, 4), "reshape the result to (3, 4)"),
    ],
)
def test_right_values_in_another_shape_are_named_with_the_change_to_make(
    got_shape: tuple[int, ...], want_shape: tuple[int, ...], hint: str
) -> None:
    want = np.random.default_rng(0).normal(size=want_shape)
    result = compare(want.reshape(got_shape), want, 1e-8, 1e-7)
    assert not result.ok and result.max_abs_err is None
    assert result.message == f"right values, shape {got_shape} instead of {want_shape}: {hint}"


def test_a_reordering_or_wrong_values_in_another_shape_are_not_called_right() -> None:
    want = np.random.default_rng(1).normal(size=(3, 4))
    transposed = compare(want.T, want, 1e-8, 1e-7)
    assert transposed.message == "shape (4, 3), expected (3, 4)"
    off = compare((want[0] + 1e-3).reshape(1, 4), want[0], 1e-8, 1e-7)
    assert off.message == "shape (1, 4), expected (4,)"


def test_named_answers_compare_as_names_without_figures() -> None:
    code = {name: np.asarray(float(i)) for i, name in enumerate(ANSWERS)}
    wrong = compare_names(code["ValueError"], code["RuntimeError"], ANSWERS)
    assert not wrong.ok and wrong.message == "expected RuntimeError, got ValueError"
    assert (wrong.expected, wrong.got, wrong.max_rel_err) == ("RuntimeError", "ValueError", None)
    assert compare_names(code["none"], code["none"], ANSWERS).ok


def test_inputs_read_as_the_function_gets_them() -> None:
    x, w = np.zeros((3, 5), "float32"), np.ones(3, "float32")
    assert describe_inputs(Case("c", "float32", [x, None, w, 1e-5, "pytorch"])) == (
        "(3, 5)",
        "None",
        "(3,)",
        "1e-05",
        "'pytorch'",
    )
    counts = np.ones(4, np.int64)
    assert describe_inputs(Case("c", "float64", [counts]))[0] == "int64 (4,)"
    spec = {"layer": "GroupNorm", "num_groups": 4, "num_channels": 32, "affine": False}
    assert describe_inputs(Case("c", "float64", [spec])) == (
        "GroupNorm(num_groups=4, num_channels=32, affine=False)",
    )
    steps = Case("c", "float64", [w], steps=[x, x], state={"momentum": None, "eps": 1e-5})
    assert describe_inputs(steps) == (
        "2 x float32 (3, 5)",
        "float32 (3,)",
        "momentum=None",
        "eps=1e-05",
    )


# --- through the real grader --------------------------------------------------------------

PREDICT_WRONG = """
def predict_error(situation):
    if "eval" in situation:
        return "RuntimeError"
    return "ValueError" if situation.startswith("batchnorm") else "none"
"""
PREDICT_RIGHT = """
VALUE = {"batchnorm-train-one-value", "groupnorm-indivisible", "instancenorm-one-element",
         "instancenorm-eval-one-element"}
RUNTIME = {"layernorm-shape-mismatch", "eval-without-running-buffers", "batchnorm-wrong-channels"}

def predict_error(situation):
    if situation in VALUE:
        return "ValueError"
    if situation in RUNTIME:
        return "RuntimeError"
    return "none"
"""


def answer_of(source: str, situation: str) -> str:
    namespace: dict = {}
    exec(textwrap.dedent(source), namespace)
    return namespace["predict_error"](situation)


def test_predict_error_reports_exception_names(session_worker, tmp_path: Path) -> None:
    wrong = check(session_worker, tmp_path, "predict-error", PREDICT_WRONG)
    failure = wrong["first_failure"]
    [situation] = [ast.literal_eval(text) for text in failure["inputs"]]
    assert wrong["status"] == "fail"
    assert failure["expected"] == answer_of(PREDICT_RIGHT, situation)
    assert failure["got"] == answer_of(PREDICT_WRONG, situation) != failure["expected"]
    assert failure["max_rel_err"] is None and failure["tolerance"] is None
    for row in wrong["cases"]:
        assert row["max_abs_err"] is None and row["max_rel_err"] is None
        if row["status"] == "fail":
            names = re.fullmatch(r"expected (\w+), got (\w+)", row["message"])
            assert names and {names[1], names[2]} <= set(ANSWERS), row["message"]
    right = check(session_worker, tmp_path, "predict-error", PREDICT_RIGHT)
    assert right["status"] == "pass", right["message"]


COUNT_WRONG = """
from math import prod

def count_norm_params(spec):
    kind = spec["layer"].rstrip("123d")
    if kind in ("BatchNorm", "InstanceNorm"):
        n = spec["num_features"]
        return 2 * n * spec["affine"], (2 * n + 1) * spec["track_running_stats"]
    if kind == "GroupNorm":
        return 2 * spec["num_groups"] * spec["affine"], 0   # groups, not channels
    size = prod(spec["normalized_shape"]) * spec["elementwise_affine"]
    return size * (1 + spec.get("bias", False)), 0
"""
COUNT_RIGHT = COUNT_WRONG.replace('spec["num_groups"]', 'spec["num_channels"]')


def test_count_norm_params_shows_the_layer_that_failed(session_worker, tmp_path: Path) -> None:
    wrong = check(session_worker, tmp_path, "count-norm-params", COUNT_WRONG)
    failure = wrong["first_failure"]
    assert wrong["status"] == "fail" and failure["case"].endswith("GroupNorm")
    [layer] = failure["inputs"]
    found = re.fullmatch(r"GroupNorm\(num_groups=(\d+), num_channels=(\d+), affine=True\)", layer)
    assert found, layer
    assert (failure["expected"], failure["got"]) == (2.0 * int(found[2]), 2.0 * int(found[1]))
    assert failure["tolerance"] == {"atol": 0.0, "rtol": 0.0}
    right = check(session_worker, tmp_path, "count-norm-params", COUNT_RIGHT)
    assert right["status"] == "pass", right["message"]


BACKWARD = """
import numpy as np

def batchnorm_backward(dout, x, gamma, eps=1e-5):
    axes = tuple(a for a in range(x.ndim) if a != 1)
    bshape = [1] * x.ndim
    bshape[1] = -1
    m = x.size / x.shape[1]
    inv = 1 / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    xhat = (x - x.mean(axis=axes, keepdims=True)) * inv
    dgamma = (dout * xhat).sum(axis=axes, keepdims=KEEP)
    dbeta = dout.sum(axis=axes, keepdims=KEEP)
    g = dout * gamma.reshape(bshape)
    dx = inv / m * (m * g - g.sum(axis=axes, keepdims=True)
                    - xhat * (g * xhat).sum(axis=axes, keepdims=True))
    return dx, dgamma, dbeta
"""


def test_keepdims_left_on_is_named_not_measured(session_worker, tmp_path: Path) -> None:
    wrong = check(session_worker, tmp_path, "bn-backward", BACKWARD.replace("KEEP", "True"))
    assert wrong["status"] == "fail"
    for row in wrong["cases"]:
        message = (
            r"dgamma: right values, shape \(1, (\d+)(, 1)*\) instead of \(\1,\): "
            r"drop the extra size-1 axes"
        )
        assert re.match(message, row["message"]), row["message"]
        assert row["max_abs_err"] is None and row["max_rel_err"] is None
    failure = wrong["first_failure"]
    assert failure["output"] == "dgamma" and failure["expected"] is None
    assert failure["tolerance"] is not None
    right = check(session_worker, tmp_path, "bn-backward", BACKWARD.replace("KEEP", "False"))
    assert right["status"] == "pass", right["message"]


FORWARD = """
import numpy as np

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return gamma.reshape(shape) * (x - mean) / np.sqrt(var + EPS) + beta.reshape(shape)
"""


def test_a_small_eps_error_shows_numbers_that_differ(session_worker, tmp_path: Path) -> None:
    wrong = check(session_worker, tmp_path, "bn-forward", FORWARD.replace("EPS", "1.5 * eps"))
    failure = wrong["first_failure"]
    assert wrong["status"] == "fail"
    assert abs(failure["got"] / failure["expected"] - 1) < 1e-4  # a small error
    mine, theirs = shown_numbers(failure["message"])
    assert mine != theirs
    assert float(mine) == pytest.approx(failure["expected"], rel=1e-5)
    assert "relative" in failure["message"] and failure["tolerance"]["rtol"] > 0
    right = check(session_worker, tmp_path, "bn-forward", FORWARD.replace("EPS", "eps"))
    assert right["status"] == "pass", right["message"]


FOLD = """
import numpy as np

def fold_linear_bn(weight, bias, running_mean, running_var, gamma, beta, eps=1e-5):
    scale = gamma / np.sqrt(running_var + eps)
    shift = beta - running_mean * scale
    if bias is None:
        return scale[:, None] * weight, SHIFT
    return scale[:, None] * weight, bias * scale + shift
"""


def test_a_none_input_is_shown_as_none(session_worker, tmp_path: Path) -> None:
    wrong = check(session_worker, tmp_path, "linear-bn-fold", FOLD.replace("SHIFT", "beta"))
    failure = wrong["first_failure"]
    assert wrong["status"] == "fail" and failure["inputs"][1] == "None"
    assert failure["inputs"][0] == str(tuple(failure["shapes"][0]))
    right = check(session_worker, tmp_path, "linear-bn-fold", FOLD.replace("SHIFT", "shift"))
    assert right["status"] == "pass", right["message"]


# --- what the command prints --------------------------------------------------------------


@pytest.mark.usefixtures("shared_worker")
def test_check_prints_names_for_predict_error(tmp_path: Path) -> None:
    wrong, right = tmp_path / "wrong.py", tmp_path / "right.py"
    wrong.write_text(textwrap.dedent(PREDICT_WRONG))
    right.write_text(textwrap.dedent(PREDICT_RIGHT))
    ran = run_cli("check", "predict-error", str(wrong))
    failure = json.loads(run_cli("check", "predict-error", str(wrong), "--json").stdout)
    first = failure["first_failure"]
    assert ran.returncode == 1
    assert f"inputs: '{first['case']}'" in ran.stdout
    assert f"expected {first['expected']}, got {first['got']}" in ran.stdout
    assert "e+" not in ran.stdout and "tolerance" not in ran.stdout
    assert run_cli("check", "predict-error", str(right)).returncode == 0


@pytest.mark.usefixtures("shared_worker")
def test_check_prints_the_layer_the_inputs_and_the_tolerance(tmp_path: Path) -> None:
    wrong, right = tmp_path / "wrong.py", tmp_path / "right.py"
    wrong.write_text(textwrap.dedent(COUNT_WRONG))
    right.write_text(textwrap.dedent(COUNT_RIGHT))
    text = run_cli("check", "count-norm-params", str(wrong)).stdout
    assert re.search(
        r"\n  inputs: GroupNorm\(num_groups=\d+, num_channels=\d+, affine=True\)\n", text
    )
    assert re.search(r"params: expected \d+, got \d+ \(off by \d+, relative [\d.]+\)", text)
    assert "tolerance: atol 0, rtol 0" in text
    assert run_cli("check", "count-norm-params", str(right)).returncode == 0


NAIVE_VARIANCE = """
import numpy as np

def batchnorm_forward(x, gamma, beta, eps=1e-5):
    axes = tuple(a for a in range(x.ndim) if a != 1)
    mean = x.mean(axis=axes, keepdims=True)
    var = (x * x).mean(axis=axes, keepdims=True) - mean * mean
    shape = [1, -1] + [1] * (x.ndim - 2)
    return (x - mean) / np.sqrt(var + eps) * gamma.reshape(shape) + beta.reshape(shape)
"""


@pytest.mark.usefixtures("shared_worker")
def test_check_prints_shapes_in_the_table_and_the_widened_tolerance(tmp_path: Path) -> None:
    keepdims = tmp_path / "keepdims.py"
    keepdims.write_text(textwrap.dedent(BACKWARD.replace("KEEP", "True")))
    text = run_cli("check", "bn-backward", str(keepdims)).stdout
    row = next(line for line in text.splitlines() if line.startswith("  2d "))
    assert re.search(r"fail +dgamma: right values, shape \(1, \d+\) instead of \(\d+,\)", row)
    assert not re.search(r"\de[+-]\d", row)  # no error figures
    naive = tmp_path / "naive.py"  # E[x^2] - E[x]^2: fails only on float32 data far from zero
    naive.write_text(textwrap.dedent(NAIVE_VARIANCE))
    result = json.loads(run_cli("check", "bn-forward", str(naive), "--json").stdout)
    failure = result["first_failure"]
    assert result["status"] == "fail" and failure["dtype"] == "float32"
    tolerance = failure["tolerance"]
    assert tolerance["atol"] >= BANK.drills["bn-forward"].tolerances["float32"].atol
    text = run_cli("check", "bn-forward", str(naive)).stdout
    assert f"tolerance: atol {tolerance['atol']:g}, rtol {tolerance['rtol']:g}" in text
    assert f"inputs (float32): {', '.join(failure['inputs'])}" in text
