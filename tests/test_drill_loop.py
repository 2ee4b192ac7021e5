"""The drill loop from the command line: drill, --edit, hint, reset, solution, check --all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, run_cli

# Commands run in this process grade through one shared worker (see conftest).
pytestmark = pytest.mark.usefixtures("shared_worker")

SOLUTION = REPO / "solutions" / "bn-forward.py"


def test_drill_lists_and_starts_without_overwriting(isolated_home: Path) -> None:
    rows = json.loads(run_cli("drill", "--json").stdout)["drills"]
    assert {"bn-forward", "bn-running-stats"} <= {r["id"] for r in rows}
    assert {r["status"] for r in rows} == {"pending"}
    assert all(r["topic"] and r["difficulty"] in (1, 2, 3) for r in rows)
    started = run_cli("drill", "bn-forward")
    path = isolated_home / "workspace" / "bn-forward.py"
    assert (
        started.returncode == 0
        and str(path) in started.stdout
        and "batchnorm_forward" in started.stdout
    )
    path.write_text("# my work\n")
    again = run_cli("drill", "bn-forward")
    assert "left as it is" in again.stdout and path.read_text() == "# my work\n"
    custom = run_cli("drill", "bn-forward", "--dir", str(isolated_home / "elsewhere"))
    assert (isolated_home / "elsewhere" / "bn-forward.py").exists() and custom.returncode == 0


def test_edit_opens_the_editor_then_grades(isolated_home: Path) -> None:
    result = run_cli("drill", "bn-forward", "--edit", env={"VISUAL": f"cp {SOLUTION}"})
    assert result.returncode == 0 and "bn-forward: PASS" in result.stdout
    status = json.loads(run_cli("drill", "--json").stdout)["drills"]
    assert [r["status"] for r in status if r["id"] == "bn-forward"] == ["done"]
    missing = run_cli("drill", "bn-running-stats", "--edit", env={"VISUAL": "", "EDITOR": ""})
    assert missing.returncode == 1 and "set $VISUAL or $EDITOR" in missing.stderr


def test_hints_one_at_a_time(isolated_home: Path) -> None:
    outputs = [run_cli("hint", "bn-forward").stdout for _ in range(4)]
    assert [o.count("Hint ") for o in outputs] == [1, 2, 3, 3]
    assert "last hint" in outputs[2]


def test_solution_is_gated_until_passed(isolated_home: Path) -> None:
    refused = run_cli("solution", "bn-forward")
    assert refused.returncode == 1 and "pass bn-forward first" in refused.stderr
    forced = run_cli("solution", "bn-forward", "--force")
    assert (
        forced.returncode == 0
        and "def batchnorm_forward" in forced.stdout
        and "warning" in forced.stderr
    )
    run_cli("check", "bn-forward", str(SOLUTION))
    allowed = run_cli("solution", "bn-forward")
    assert allowed.returncode == 0 and "warning" not in allowed.stderr


def test_reset_asks_and_keeps_a_backup(isolated_home: Path) -> None:
    run_cli("drill", "bn-forward")
    path = isolated_home / "workspace" / "bn-forward.py"
    path.write_text("# precious work\n")
    declined = run_cli("reset", "bn-forward", input="n\n")
    assert declined.returncode == 1 and path.read_text() == "# precious work\n"
    done = run_cli("reset", "bn-forward", "--yes")
    assert done.returncode == 0 and "NotImplementedError" in path.read_text()
    [backup] = (isolated_home / "workspace" / ".backups").glob("bn-forward.*.py")
    assert backup.read_text() == "# precious work\n"


def test_check_all_grades_the_workspace(isolated_home: Path) -> None:
    nothing = run_cli("check", "--all")
    assert nothing.returncode == 2
    run_cli("drill", "bn-forward")
    run_cli("drill", "bn-running-stats")
    (isolated_home / "workspace" / "bn-forward.py").write_text(SOLUTION.read_text())
    result = run_cli("check", "--all", "--json")
    statuses = {r["drill"]: r["status"] for r in json.loads(result.stdout)["results"]}
    assert result.returncode == 1 and statuses == {"bn-forward": "pass", "bn-running-stats": "fail"}


def test_a_new_user_goes_from_drill_to_pass_with_what_the_tool_prints(isolated_home: Path) -> None:
    shown = run_cli("drill", "bn-forward").stdout
    path = Path(shown.split("Your file: ", 1)[1].split()[0])  # the path it printed
    command = (
        shown.split("Next: edit it, then `", 1)[1].split("`", 1)[0].split()
    )  # the command it printed
    assert "batchnorm_forward(x, gamma, beta, eps=1e-5)" in shown and command[:2] == [
        "normquiz",
        "check",
    ]
    first = run_cli(*command[1:])
    assert first.returncode == 1 and "NotImplementedError" in first.stdout
    hints = [run_cli("hint", "bn-forward").stdout for _ in range(3)][-1]
    assert "sqrt(var + eps)" in hints  # the last hint nearly gives it
    path.write_text(
        path.read_text().replace(
            '    raise NotImplementedError("batchnorm_forward is not written yet")',
            "    axes = (0,) + tuple(range(2, x.ndim))\n"
            "    mean = x.mean(axis=axes, keepdims=True)\n"
            "    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)\n"
            "    shape = (1, -1) + (1,) * (x.ndim - 2)\n"
            "    return gamma.reshape(shape) * (x - mean) / np.sqrt(var + eps) + beta.reshape(shape)",
        )
    )
    second = run_cli(*command[1:])
    assert second.returncode == 0 and "PASS" in second.stdout
