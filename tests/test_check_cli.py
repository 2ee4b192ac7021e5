"""`normquiz check` from the command line: exit codes, JSON, records, a torch-free parent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, run_cli, run_normquiz
from normquiz.progress.store import ProgressStore

# Commands run in this process grade through one shared worker (see conftest).
pytestmark = pytest.mark.usefixtures("shared_worker")

MISTAKE = REPO / "questions/drills/bn-forward/mistakes/eps-outside-sqrt.py"
SOLUTION = REPO / "solutions/bn-forward.py"


def test_json_result_and_exit_codes(isolated_home: Path) -> None:
    failed = run_cli("check", "bn-forward", str(MISTAKE), "--json")
    assert failed.returncode == 1
    result = json.loads(failed.stdout)
    assert set(result) >= {"format", "drill", "status", "message", "cases", "diagnosis", "time_s"}
    assert result["status"] == "fail" and result["diagnosis"][0]["id"] == "eps-outside-sqrt"
    assert all(
        set(c) >= {"name", "status", "message", "max_abs_err", "max_rel_err"}
        for c in result["cases"]
    )
    passed = run_cli("check", "bn-forward", str(SOLUTION))
    assert passed.returncode == 0 and "PASS" in passed.stdout
    with ProgressStore.open(isolated_home) as store:
        # a fail then a pass in one sitting: one review, upgraded to the pass
        assert [(r.item_id, r.kind, r.correct) for r in store.reviews()] == [
            ("bn-forward", "drill", True),
        ]


def test_human_output_names_the_failing_case_and_diagnosis() -> None:
    result = run_cli("check", "bn-forward", str(MISTAKE))
    assert "First failing case" in result.stdout and "worst element at index" in result.stdout
    assert "expected" in result.stdout and "Diagnosis (eps-outside-sqrt)" in result.stdout
    assert "\x1b[" not in result.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    unknown = run_cli("check", "no-such-drill", str(SOLUTION))
    assert unknown.returncode == 2 and "unknown drill" in unknown.stderr
    missing = run_cli("check", "bn-forward", str(tmp_path / "nope.py"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    workspace = run_cli("check", "bn-forward")
    assert workspace.returncode == 2 and "normquiz drill" in workspace.stderr


def test_check_solutions_lists_every_drill() -> None:
    result = run_cli("check", "--solutions", "--json")
    assert result.returncode == 0
    results = json.loads(result.stdout)["results"]
    assert {r["drill"] for r in results} >= {"bn-forward", "bn-running-stats"}
    assert all(r["status"] == "pass" and r["time_s"] > 0 for r in results)


def test_normquiz_process_itself_never_imports_torch() -> None:
    result = run_normquiz(
        "check", "bn-forward", str(SOLUTION), env={"PYTHONPROFILEIMPORTTIME": "1"}
    )
    assert result.returncode == 0
    ours = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "normquiz" in ours and not ours & {"torch", "numpy"}


def test_a_single_number_output_shows_no_index(tmp_path: Path) -> None:
    """Drills whose outputs are single numbers (counts, answers): no "worst element"."""
    wrong = tmp_path / "count.py"
    wrong.write_text("def count_norm_params(spec):\n    return 1, 0\n")
    ran = run_cli("check", "count-norm-params", str(wrong), "--json")
    failure = json.loads(ran.stdout)["first_failure"]
    assert ran.returncode == 1 and failure["index"] is None and failure["expected"] is not None
    text = run_cli("check", "count-norm-params", str(wrong)).stdout
    assert "First failing case" in text and "worst element" not in text
    assert "params: expected" in text and "tolerance: atol 0, rtol 0" in text
