"""Drills declared entirely in a user's bank: a reference file and cases written as data.

The example is Batch Renormalization's training-mode forward (Ioffe 2017), which none of
normquiz's built-in references computes: the batch statistics corrected by r and d,
clipped, towards the running statistics.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

# Commands run in this process grade through one shared worker (see conftest).
pytestmark = pytest.mark.usefixtures("shared_worker")

MANIFEST = """\
schema_version: 1
drills:
  - id: batch-renorm
    title: Batch Renormalization forward pass (training mode)
    topic: bn
    difficulty: 2
    prompt: |
      Write `batch_renorm(x, running_mean, running_var, gamma, beta, r_max=3.0, d_max=5.0,
      eps=1e-5) -> out` with numpy, for `x` of shape (N, C).

      With the batch's mean `mu` and `sigma = sqrt(var + eps)` (biased variance) per column,
      and `s = sqrt(running_var + eps)`: `r = clip(sigma / s, 1/r_max, r_max)` and
      `d = clip((mu - running_mean) / s, -d_max, d_max)`;
      `out = gamma * ((x - mu) / sigma * r + d) + beta`.
    function: batch_renorm
    reference: {file: batch-renorm/reference.py}
    cases:
      - name: small
        args:
          - {shape: [8, 3]}
          - {shape: [3], scale: 0.1}
          - {shape: [3], dist: uniform, low: 0.8, high: 1.2}
          - {shape: [3], dist: uniform, low: 0.5, high: 1.5}
          - {shape: [3]}
      - name: clipped
        args:
          - {shape: [16, 4], loc: 5.0, scale: 4.0}
          - {shape: [4], dist: constant, value: 0.0}
          - {shape: [4], dist: constant, value: 0.01}
          - {shape: [4], dist: constant, value: 1.0}
          - {shape: [4], dist: constant, value: 0.0}
      - name: float32-tight-clip
        args:
          - {shape: [32, 2], dtype: float32, loc: 1.0, scale: 2.0}
          - {shape: [2], dtype: float32, loc: 3.0, scale: 0.1}
          - {shape: [2], dtype: float32, dist: uniform, low: 0.1, high: 4.0}
          - {shape: [2], dtype: float32, dist: uniform, low: 0.5, high: 1.5}
          - {shape: [2], dtype: float32}
        kwargs: {r_max: 1.5, d_max: 0.5, eps: 1.0e-3}
      - name: ramp
        args:
          - {shape: [6, 2], dist: arange, loc: -3.0, scale: 0.5}
          - {shape: [2], dist: constant, value: 0.0}
          - {shape: [2], dist: constant, value: 1.0}
          - {shape: [2], dist: constant, value: 1.0}
          - {shape: [2], dist: constant, value: 0.0}
    starter: batch-renorm/starter.py
    hints:
      - r and d are computed from the batch and running statistics, then clipped.
      - Clip r to [1/r_max, r_max] and d to [-d_max, d_max] before using them.
    tolerances:
      float32: {atol: 1.0e-4, rtol: 1.0e-4}
      float64: {atol: 1.0e-9, rtol: 1.0e-9}
    mistakes:
      - id: unclipped
        explanation: >-
          You used r and d without clipping them; Batch Renorm clips r to [1/r_max, r_max]
          and d to [-d_max, d_max], which is what keeps training stable early on.
        file: batch-renorm/mistakes/unclipped.py
    solution: batch-renorm/solution.py
"""

REFERENCE = """\
import numpy as np


def batch_renorm(x, running_mean, running_var, gamma, beta, r_max=3.0, d_max=5.0, eps=1e-5):
    mu = x.mean(axis=0)
    sigma = np.sqrt(x.var(axis=0) + eps)
    s = np.sqrt(running_var + eps)
    r = np.clip(sigma / s, 1.0 / r_max, r_max)
    d = np.clip((mu - running_mean) / s, -d_max, d_max)
    return gamma * ((x - mu) / sigma * r + d) + beta
"""

STARTER = """\
import numpy as np


def batch_renorm(x, running_mean, running_var, gamma, beta, r_max=3.0, d_max=5.0, eps=1e-5):
    raise NotImplementedError("write batch_renorm")  # the starter must fail until you do
"""

UNCLIPPED = REFERENCE.replace("np.clip(sigma / s, 1.0 / r_max, r_max)", "sigma / s").replace(
    "np.clip((mu - running_mean) / s, -d_max, d_max)", "(mu - running_mean) / s"
)

# Another style: torch, one column at a time, min/max instead of clip.
OTHER_STYLE = """\
import torch


def batch_renorm(x, running_mean, running_var, gamma, beta, r_max=3.0, d_max=5.0, eps=1e-5):
    t = torch.as_tensor(x, dtype=torch.float64)
    columns = []
    for c in range(t.shape[1]):
        col = t[:, c]
        mu = col.mean()
        sigma = torch.sqrt(((col - mu) ** 2).mean() + eps)
        s = (float(running_var[c]) + eps) ** 0.5
        r = min(max(float(sigma) / s, 1.0 / r_max), r_max)
        d = min(max((float(mu) - float(running_mean[c])) / s, -d_max), d_max)
        columns.append(float(gamma[c]) * ((col - mu) / sigma * r + d) + float(beta[c]))
    return torch.stack(columns, dim=1).numpy().astype(x.dtype)
"""


def write_bank(root: Path, reference: str = REFERENCE) -> Path:
    bank = root / "bank"
    files = {
        "drills.yaml": MANIFEST,
        "batch-renorm/reference.py": reference,
        "batch-renorm/starter.py": STARTER,
        "batch-renorm/solution.py": REFERENCE,
        "batch-renorm/mistakes/unclipped.py": UNCLIPPED,
    }
    for name, text in files.items():
        (bank / name).parent.mkdir(parents=True, exist_ok=True)
        (bank / name).write_text(text)
    return bank


def check(bank: Path, path: Path, *extra: str) -> dict[str, object]:
    ran = run_cli("check", "batch-renorm", str(path), "--bank", str(bank), "--json", *extra)
    result: dict[str, object] = json.loads(ran.stdout)
    return result


def test_declared_drill_passes_lint_exec(tmp_path: Path) -> None:
    bank = write_bank(tmp_path)
    ran = run_cli("lint", "--exec", "--json", "--no-bundled", "--bank", str(bank))
    report = json.loads(ran.stdout)
    assert report["problems"] == [] and report["drills"] == 1
    assert ran.returncode == 0


def test_check_passes_another_style_and_names_the_mistake(tmp_path: Path) -> None:
    bank = write_bank(tmp_path)
    other = tmp_path / "other.py"
    other.write_text(OTHER_STYLE)
    passed = check(bank, other)
    assert passed["status"] == "pass", passed["message"]
    assert [row["name"] for row in passed["cases"]] == [  # type: ignore[union-attr]
        "small",
        "clipped",
        "float32-tight-clip",
        "ramp",
    ]
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        UNCLIPPED.replace("return gamma", "out = gamma").replace(
            "+ beta\n", "+ beta\n    return out\n"
        )
    )
    failed = check(bank, wrong)
    assert failed["status"] == "fail"
    assert [d["id"] for d in failed["diagnosis"]] == ["unclipped"]  # type: ignore[union-attr]
    assert "small" not in str(failed["message"])  # clipping is inactive there: it matches


def test_lint_exec_rejects_a_starter_that_passes(tmp_path: Path) -> None:
    bank = write_bank(tmp_path)
    (bank / "batch-renorm" / "starter.py").write_text(REFERENCE)
    ran = run_cli("lint", "--exec", "--json", "--no-bundled", "--bank", str(bank))
    problems = {p["field"]: p["message"] for p in json.loads(ran.stdout)["problems"]}
    assert ran.returncode == 1 and "passes untouched" in problems["starter"]


LOOPING = REFERENCE.replace("    mu = x.mean(axis=0)\n", "    while True: pass\n")
ALLOCATING = REFERENCE.replace(
    "    mu = x.mean(axis=0)\n",
    "    hoard = []\n    while True:\n        hoard.append(np.empty(1 << 26))\n",
)


@pytest.mark.parametrize(
    ("reference", "line", "what"),
    [
        (LOOPING, 5, "did not finish within 2 s"),
        (ALLOCATING, 7, "ran out of memory"),
    ],
)
def test_a_runaway_reference_is_stopped_with_file_and_line(
    tmp_path: Path, reference: str, line: int, what: str
) -> None:
    bank = write_bank(tmp_path, reference)
    other = tmp_path / "other.py"
    other.write_text(OTHER_STYLE)
    result = check(bank, other, "--timeout", "2", "--memory-mb", "2048")
    where = f"{(bank / 'batch-renorm' / 'reference.py').resolve()}:{line}"
    assert result["status"] == "error"
    assert what in str(result["message"]) and where in str(result["message"])
    assert "bank code, not your file" in str(result["message"])
    listed = json.loads(run_cli("drill", "--json", "--bank", str(bank)).stdout)["drills"]
    [status] = [d["status"] for d in listed if d["id"] == "batch-renorm"]
    assert status == "pending"  # the bank's failure is not recorded as the learner's attempt


def test_lint_exec_reports_a_failing_reference_at_its_line(tmp_path: Path) -> None:
    broken = REFERENCE.replace("    mu = x.mean(axis=0)\n", "    mu = x.mean(axis=7)\n")
    bank = write_bank(tmp_path, broken)
    ran = run_cli("lint", "--exec", "--json", "--no-bundled", "--bank", str(bank))
    [problem] = json.loads(ran.stdout)["problems"]
    problems = {problem["field"]: problem["message"]}
    where = f"{(bank / 'batch-renorm' / 'reference.py').resolve()}:5 in batch_renorm"
    assert ran.returncode == 1 and list(problems) == ["reference"]
    assert MANIFEST.splitlines()[problem["line"] - 1].strip().startswith("reference:")
    assert where in problems["reference"] and "AxisError" in problems["reference"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{shape: [3], dist: constant}", "dist constant needs `value`"),
        ("{shape: [3], value: 2.0}", "value has no meaning for dist normal"),
        ("{shape: [3], dist: uniform, low: 2, high: 1}", "low < high"),
        ("{shape: [3], dtype: float16}", "'float32', 'float64' or 'int64'"),
        ("{shape: [100000, 100000]}", "more than"),
    ],
)
def test_a_bad_array_spec_is_one_located_lint_problem(
    tmp_path: Path, spec: str, message: str
) -> None:
    bank = write_bank(tmp_path)
    manifest = bank / "drills.yaml"
    manifest.write_text(MANIFEST.replace("- {shape: [8, 3]}", f"- {spec}"))
    ran = run_cli("lint", "--json", "--no-bundled", "--bank", str(bank))
    problems = json.loads(ran.stdout)["problems"]
    assert ran.returncode == 1 and len(problems) == 1
    assert message in problems[0]["message"] and problems[0]["line"] > 1


# --- normquiz new drill -------------------------------------------------------------------


def test_new_drill_passes_lint_exec_and_its_starter_fails(tmp_path: Path) -> None:
    bank = tmp_path / "mine"
    for drill_id in ("mean-center", "second"):
        made = run_cli("new", "drill", drill_id, "--bank", str(bank), "--json")
        assert made.returncode == 0
        files = json.loads(made.stdout)["files"]
        assert sorted(Path(f).relative_to(bank / drill_id).as_posix() for f in files) == [
            "mistakes/row-mean.py",
            "reference.py",
            "solution.py",
            "starter.py",
        ]
    assert "STARTER MUST FAIL" in (bank / "drills.yaml").read_text()
    ran = run_cli("lint", "--exec", "--json", "--no-bundled", "--bank", str(bank))
    report = json.loads(ran.stdout)
    assert ran.returncode == 0 and report["problems"] == [] and report["drills"] == 2
    starter = check_drill(bank, "mean-center", bank / "mean-center" / "starter.py")
    assert starter["status"] == "error" and "3 of 3 cases" in str(starter["message"])
    assert "NotImplementedError" in json.dumps(starter["cases"])


def check_drill(bank: Path, drill_id: str, path: Path) -> dict[str, object]:
    ran = run_cli("check", drill_id, str(path), "--bank", str(bank), "--json")
    result: dict[str, object] = json.loads(ran.stdout)
    return result


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("drills: []\nquestions: []\n", "not the last section"),
        ("questions: []\n", "no `drills:` list"),
        (None, "already exists"),
    ],
)
def test_new_drill_refuses_what_it_cannot_add_to(
    tmp_path: Path, manifest: str | None, message: str
) -> None:
    bank = tmp_path / "mine"
    if manifest is None:
        run_cli("new", "drill", "taken", "--bank", str(bank))
    else:
        bank.mkdir()
        (bank / "drills.yaml").write_text(manifest)
    before = (bank / "drills.yaml").read_text()
    ran = run_cli("new", "drill", "taken", "--bank", str(bank))
    assert ran.returncode == 2 and message in ran.stderr
    assert (bank / "drills.yaml").read_text() == before


def test_the_reference_runs_once_per_seed(tmp_path: Path) -> None:
    runs = tmp_path / "runs.txt"
    counting = REFERENCE.replace(
        "import numpy as np\n",
        f"import numpy as np\n\nwith open({str(runs)!r}, 'a') as log:\n    log.write('run\\n')\n",
    )
    bank = write_bank(tmp_path, counting)
    ran = run_cli("lint", "--exec", "--json", "--no-bundled", "--bank", str(bank))
    assert ran.returncode == 0  # solution, starter and the mistake: one reference run
    assert runs.read_text().count("run") == 1
    check(bank, bank / "batch-renorm" / "solution.py", "--seed", "7")
    assert runs.read_text().count("run") == 2
