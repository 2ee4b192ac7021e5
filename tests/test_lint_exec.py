"""`lint --exec`: executable answers must prove exactly what the bank states."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, bank_file, question_yaml, run_cli

# Commands run in this process grade through one shared worker (see conftest).
pytestmark = pytest.mark.usefixtures("shared_worker")

NUMERIC = dict(type="numeric", choices=None, abs_tol="0")


def test_bundled_bank_and_drills_pass_lint_exec() -> None:
    result = run_cli("lint", "--exec", "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["problems"] == [], report["problems"]
    assert report["with_verify"] >= 20 and report["drills"] >= 2


def test_verify_snippets_that_lie_or_break_are_reported(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank_file(
        bank,
        "q.yaml",
        question_yaml(
            "right-count",
            **NUMERIC,
            value="128",
            verify="'import torch.nn as nn; answer = sum(p.numel() for p in nn.BatchNorm2d(64).parameters())'",
        ),
        question_yaml(
            "wrong-count",
            **NUMERIC,
            value="256",
            verify="'import torch.nn as nn; answer = sum(p.numel() for p in nn.BatchNorm2d(64).parameters())'",
        ),
        question_yaml(
            "no-answer", **NUMERIC, value="1", verify="'import torch; x = torch.ones(1)'"
        ),
        question_yaml("raises", verify="'import torch; torch.zeros(2) @ torch.zeros(3)'"),
        question_yaml(
            "tf-wrong",
            type="true_false",
            choices=None,
            answer="true",
            verify="'import torch; answer = bool(torch.tensor(0.0) > 1)'",
        ),
    )
    result = run_cli("lint", "--exec", "--json", "--no-bundled", "--bank", str(bank))
    assert result.returncode == 1
    mine = {
        p["id"]: p["message"]
        for p in json.loads(result.stdout)["problems"]
        if p["file"].endswith("q.yaml")
    }
    assert set(mine) == {"wrong-count", "no-answer", "raises", "tf-wrong"}
    assert "answer = 128" in mine["wrong-count"] and "256" in mine["wrong-count"]
    assert "must set `answer`" in mine["no-answer"]
    assert "RuntimeError" in mine["raises"]


def test_drill_whose_files_lie_is_reported(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    source = REPO / "questions" / "drills" / "bn-forward"
    (bank / "d").mkdir(parents=True)
    shutil.copy(REPO / "solutions" / "bn-forward.py", bank / "d" / "good.py")
    shutil.copy(source / "mistakes" / "missing-eps.py", bank / "d" / "bad.py")
    manifest = (REPO / "questions" / "drills.yaml").read_text()
    drill = manifest.split("  - id: bn-running-stats")[0].replace("id: bn-forward", "id: my-bn")
    drill = drill.replace("starter: drills/bn-forward/starter.py", "starter: d/good.py")
    drill = drill.replace("solution: ../solutions/bn-forward.py", "solution: d/bad.py")
    drill = drill.replace(
        "file: drills/bn-forward/mistakes/unbiased-variance.py", "file: d/good.py"
    )
    shutil.copytree(source / "mistakes", bank / "drills" / "bn-forward" / "mistakes")
    (bank / "drills.yaml").write_text(drill)
    result = run_cli("lint", "--exec", "--json", "--no-bundled", "--bank", str(bank))
    problems = {
        p["field"]: p["message"]
        for p in json.loads(result.stdout)["problems"]
        if p["id"] == "my-bn"
    }
    assert result.returncode == 1
    assert "does not pass" in problems["solution"]
    assert "passes untouched" in problems["starter"]
    assert "unbiased-variance" in problems["mistakes[0]"]
