"""A non-editable install ships the bank and the solutions and finds them at run time."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [built] = out.glob("normquiz-*.whl")
    return built


def test_wheel_contains_bank_and_solutions(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bank = {Path(n).name for n in names if n.startswith("normquiz/_data/questions/")}
    source = {p.name for p in (REPO / "questions").glob("*.yaml")}
    assert source and source <= bank
    assert "normquiz/_data/solutions/README.md" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_loads_its_own_bank(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    probe = (
        "import normquiz, json; from normquiz.paths import bundled_questions_dir;"
        "from normquiz.bank.loader import load_bank; bank = load_bank();"
        "print(json.dumps([normquiz.__file__, str(bundled_questions_dir()),"
        " len(bank.questions), len(bank.problems)]))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    module_file, questions_dir, count, problems = __import__("json").loads(result.stdout)
    assert module_file.startswith(str(target)) and questions_dir.startswith(str(target))
    expected = len(list((REPO / "questions").glob("*.yaml")))
    assert expected and count >= 20 and problems == 0
