"""`--dir`: `drill ID --dir DIR` prints next steps that work as printed, and `check` grades
DIR/ID.py; messages name real drills and directories, never a placeholder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import REPO, run_cli

pytestmark = pytest.mark.usefixtures("shared_worker")


def next_step_commands(output: str) -> list[list[str]]:
    """The commands a `Next:` line names, as argument lists."""
    [line] = [line for line in output.splitlines() if line.startswith("Next:")]
    return [shlex.split(command) for command in re.findall(r"`([^`]+)`", line)]


def test_drill_dir_prints_check_and_watch_with_the_dir(tmp_path: Path, isolated_home) -> None:
    workspace = tmp_path / "my drills"  # a space: the printed command must quote it
    started = run_cli("drill", "bn-forward", "--dir", str(workspace))
    assert started.returncode == 0
    check, watch, hint = next_step_commands(started.stdout)
    assert check == ["normquiz", "check", "bn-forward", "--dir", str(workspace)]
    assert watch == ["normquiz", "watch", "bn-forward", "--dir", str(workspace)]
    assert hint == ["normquiz", "hint", "bn-forward"]
    (workspace / "bn-forward.py").write_bytes((REPO / "solutions/bn-forward.py").read_bytes())
    graded = run_cli(*check[1:])  # run as printed
    assert graded.returncode == 0 and "PASS" in graded.stdout
    assert str(workspace / "bn-forward.py") in graded.stdout
    assert not (isolated_home / "workspace" / "bn-forward.py").exists()


def test_check_dir_grades_the_file_in_dir_or_says_how_to_start_it(tmp_path: Path) -> None:
    missing = run_cli("check", "bn-eval", "--dir", str(tmp_path))
    assert missing.returncode == 2
    assert f"no such file: {tmp_path / 'bn-eval.py'}" in missing.stderr
    assert f"`normquiz drill bn-eval --dir {tmp_path}`" in missing.stderr
    both = run_cli("check", "bn-eval", str(tmp_path / "x.py"), "--dir", str(tmp_path))
    assert both.returncode == 2 and "give PATH or --dir, not both" in both.stderr
    empty = run_cli("check", "--all", "--dir", str(tmp_path))
    assert empty.returncode == 2 and f"no drill files in {tmp_path} yet" in empty.stderr
    assert "`normquiz drill bn-forward --dir" in empty.stderr


def test_no_message_names_a_placeholder_drill(isolated_home: Path) -> None:
    listing = run_cli("drill")
    assert "Start one with `normquiz drill bn-forward`." in listing.stdout
    nothing = run_cli("check", "--all")
    assert "`normquiz drill bn-forward`" in nothing.stderr
    for output in (listing.stdout, nothing.stderr):
        assert "drill ID" not in output
