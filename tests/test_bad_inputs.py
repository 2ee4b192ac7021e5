"""Bad input anywhere gets a one-line message naming what and where, never a traceback:
invalid options, files that are not drill files, unreadable workspace entries, drill files
that point outside their bank, code nested too deeply for Python's compiler."""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, bank_file, dedent, question_yaml, run_cli, run_normquiz
from normquiz.bank.loader import drill_roots, load_bank
from normquiz.drills.check import validate_limits
from normquiz.drills.limits import MAX_SUBMISSION_BYTES
from normquiz.exceptions import UsageError
from normquiz.paths import bundled_questions_dir

# Commands run in this process grade through one shared worker (see conftest).
pytestmark = pytest.mark.usefixtures("shared_worker")

SOLUTION = REPO / "solutions" / "bn-forward.py"
SECRET = "TOP-SECRET-LINE"


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error:")]


def assert_one_message(ran, code: int, *words: str) -> None:
    """Exit ``code``, exactly one "Error:" line holding every word, no traceback."""
    assert ran.returncode == code, (ran.stdout, ran.stderr)
    assert "Traceback" not in ran.stdout + ran.stderr
    [line] = error_lines(ran.stderr)
    assert all(word in line for word in words), line


# --- options -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--seed", "-1"),
        ("--seed", "1.5"),
        ("--timeout", "nan"),
        ("--timeout", "NaN"),
        ("--timeout", "inf"),
        ("--timeout", "-inf"),
        ("--timeout", "0"),
        ("--timeout", "-3"),
        ("--memory-mb", "0"),
        ("--memory-mb", "-1"),
        ("--memory-mb", "99999999999999999999"),
    ],
)
def test_invalid_check_options_are_usage_errors_naming_the_option(option: str, value: str) -> None:
    ran = run_cli("check", "bn-forward", str(SOLUTION), option, value)
    assert_one_message(ran, 2, option)
    assert "Usage:" in ran.stderr


def test_watch_refuses_a_nan_timeout_too() -> None:
    assert_one_message(run_cli("watch", "bn-forward", "--timeout", "nan"), 2, "--timeout")


def test_a_negative_seed_in_a_real_process_is_one_usage_line() -> None:
    ran = run_normquiz("check", "bn-forward", str(SOLUTION), "--seed", "-1")
    assert_one_message(ran, 2, "--seed", "-1")


@pytest.mark.parametrize("seed", ["0", "7", str(2**40)])
def test_valid_seeds_and_limits_still_grade(seed: str) -> None:
    ran = run_cli(
        "check", "bn-forward", str(SOLUTION), "--seed", seed, "--timeout", "30",
        "--memory-mb", "4096", "--json",
    )  # fmt: skip
    assert ran.returncode == 0 and json.loads(ran.stdout)["status"] == "pass"


@pytest.mark.parametrize(
    ("seed", "timeout", "memory_mb"),
    [(-1, 10.0, 4096), (0, math.nan, 4096), (0, math.inf, 4096), (0, 0.0, 4096), (0, 10.0, 0),
     (0, 10.0, 2**21)],
)  # fmt: skip
def test_the_grader_refuses_impossible_limits_from_any_caller(
    seed: int, timeout: float, memory_mb: int
) -> None:
    with pytest.raises(UsageError):
        validate_limits(seed, timeout, memory_mb)


def test_a_wrong_file_still_fails_with_a_valid_seed() -> None:
    mistake = REPO / "questions/drills/bn-forward/mistakes/missing-eps.py"
    ran = run_cli("check", "bn-forward", str(mistake), "--seed", "3", "--json")
    assert ran.returncode == 1 and json.loads(ran.stdout)["status"] == "fail"


# --- the submission file -------------------------------------------------------------


def test_a_directory_is_refused(tmp_path: Path) -> None:
    ran = run_cli("check", "bn-forward", str(tmp_path))
    assert_one_message(ran, 2, str(tmp_path), "is a directory")


def run_bounded(*args: str) -> subprocess.CompletedProcess[str]:
    """normquiz in a process with 6 GiB of address space (the grading worker needs about
    4) and a 60 s time-out: should it ever read a device or a FIFO again, it fails fast
    instead of filling the machine's memory or hanging."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))

    return subprocess.run(
        [sys.executable, "-m", "normquiz", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        preexec_fn=limit,
    )


def test_a_device_is_refused_without_reading_it() -> None:
    ran = run_bounded("check", "bn-forward", "/dev/zero")
    assert_one_message(ran, 2, "/dev/zero", "character device")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "answer.py"
    os.mkfifo(fifo)
    assert_one_message(run_bounded("check", "bn-forward", str(fifo)), 2, str(fifo), "named pipe")


def test_a_huge_file_is_refused_with_its_size(tmp_path: Path) -> None:
    huge = tmp_path / "huge.py"
    huge.write_text(SOLUTION.read_text() + "#" * MAX_SUBMISSION_BYTES)
    size = f"{huge.stat().st_size:,} bytes"
    assert_one_message(run_cli("check", "bn-forward", str(huge)), 2, str(huge), size)


def test_a_file_just_under_the_cap_is_graded(tmp_path: Path) -> None:
    text = SOLUTION.read_text()
    padded = tmp_path / "padded.py"
    padded.write_text(text + "#" * (MAX_SUBMISSION_BYTES - len(text.encode()) - 1) + "\n")
    assert padded.stat().st_size == MAX_SUBMISSION_BYTES
    ran = run_cli("check", "bn-forward", str(padded), "--json")
    assert ran.returncode == 0 and json.loads(ran.stdout)["status"] == "pass"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked.py"
    shutil.copy(SOLUTION, locked)
    locked.chmod(0)
    assert_one_message(run_cli("check", "bn-forward", str(locked)), 2, str(locked))


# --- the workspace -------------------------------------------------------------------


def test_check_all_reports_a_directory_and_checks_the_rest(isolated_home: Path) -> None:
    workspace = isolated_home / "workspace"
    (workspace / "bn-forward.py").mkdir(parents=True)
    shutil.copy(REPO / "solutions" / "layernorm-forward.py", workspace / "layernorm-forward.py")
    ran = run_cli("check", "--all", "--json")
    assert ran.returncode == 1 and "Traceback" not in ran.stdout + ran.stderr
    report = json.loads(ran.stdout)
    assert [(r["drill"], r["status"]) for r in report["results"]] == [("layernorm-forward", "pass")]
    [unchecked] = report["unchecked"]
    assert unchecked["drill"] == "bn-forward" and "is a directory" in unchecked["message"]
    [line] = [line for line in ran.stderr.splitlines() if "bn-forward" in line]
    assert "not checked" in line and str(workspace / "bn-forward.py") in line
    text = run_cli("check", "--all")
    assert text.returncode == 1 and "1 of 2 passed (1 not checked)" in text.stdout


def test_check_all_passes_when_every_file_is_readable_and_right(isolated_home: Path) -> None:
    workspace = isolated_home / "workspace"
    workspace.mkdir()
    shutil.copy(REPO / "solutions" / "layernorm-forward.py", workspace / "layernorm-forward.py")
    ran = run_cli("check", "--all", "--json")
    assert ran.returncode == 0 and json.loads(ran.stdout)["unchecked"] == []


def test_drill_and_reset_refuse_a_directory_in_place_of_the_file(isolated_home: Path) -> None:
    taken = isolated_home / "workspace" / "bn-forward.py"
    (taken / "notes").mkdir(parents=True)
    assert_one_message(run_cli("drill", "bn-forward"), 1, str(taken), "is a directory")
    assert_one_message(run_cli("reset", "bn-forward", "--yes"), 1, str(taken), "is a directory")
    assert (taken / "notes").is_dir()  # nothing of the learner's was touched
    started = run_cli("drill", "layernorm-forward")
    assert started.returncode == 0 and (taken.parent / "layernorm-forward.py").is_file()


# --- drill files stay inside their bank ----------------------------------------------


def bundled_tolerances() -> str:
    """bn-forward's `tolerances:` block from the bundled manifest, re-indented for the
    entries below (so those follow the manifest's format as it evolves)."""
    manifest = (REPO / "questions" / "drills.yaml").read_text()
    entry = manifest.split("  - id: bn-forward\n")[1].split("\n  - id: ")[0]
    block = entry.split("    tolerances:\n")[1].split("\n    mistakes:")[0]
    return "\n".join("  " + line[4:] for line in block.splitlines())


def drill_entry(drill_id: str, starter: str, solution: str, mistake: str) -> str:
    entry = f"""
        - id: {drill_id}
          title: BatchNorm forward, again
          topic: bn
          difficulty: 1
          prompt: Write batchnorm_forward.
          function: batchnorm_forward
          starter: {starter}
          hints: [a nudge, nearly the answer]
          banned: [norm-builtins]
          reference: bn-forward
          cases: batchnorm
          tolerances:
        {{TOLERANCES}}
          mistakes:
            - id: missing-eps
              explanation: You left eps out of the square root.
              file: {mistake}
          solution: {solution}
        """
    text = dedent(entry).replace("{TOLERANCES}", bundled_tolerances())
    return "\n".join("  " + line for line in text.splitlines()) + "\n"


@pytest.fixture
def escaping_bank(tmp_path: Path) -> Path:
    """A bank with one drill whose files stay inside and three whose files do not: by
    `..`, by an absolute path and by a symlink; a secret file lies outside the bank."""
    bank = tmp_path / "bank"
    files = bank / "d"
    files.mkdir(parents=True)
    shutil.copy(SOLUTION, files / "solution.py")
    shutil.copy(REPO / "questions/drills/bn-forward/starter.py", files / "starter.py")
    shutil.copy(REPO / "questions/drills/bn-forward/mistakes/missing-eps.py", files / "bad.py")
    secret = tmp_path / "secret.py"
    secret.write_text(f"# {SECRET}\n")
    (files / "link.py").symlink_to(secret)
    ok = ("d/starter.py", "d/../d/solution.py", "d/bad.py")
    entries = [
        drill_entry("my-bn", *ok),
        drill_entry("up-and-out", ok[0], "../secret.py", ok[2]),
        drill_entry("absolute", ok[0], ok[1], str(secret)),
        drill_entry("via-link", "d/link.py", ok[1], ok[2]),
    ]
    bank_file(bank, "drills.yaml", *entries, header="schema_version: 1\ndrills:\n")
    return bank


def test_lint_names_each_drill_and_field_that_leaves_the_bank(escaping_bank: Path) -> None:
    ran = run_cli("lint", "--no-bundled", "--bank", str(escaping_bank), "--json")
    assert ran.returncode == 1
    problems = json.loads(ran.stdout)["problems"]
    found = {(p["id"], p["field"]) for p in problems}
    assert found == {("up-and-out", "solution"), ("absolute", "mistakes[0].file"),
                     ("via-link", "starter")}  # fmt: skip
    assert all("outside the bank directory" in p["message"] for p in problems)
    assert all(p["file"].endswith("drills.yaml") and p["line"] > 1 for p in problems)


def test_solution_force_never_prints_a_file_outside_the_bank(escaping_bank: Path) -> None:
    for drill_id, field in [("up-and-out", "solution"), ("via-link", "starter")]:
        ran = run_cli("solution", drill_id, "--force", "--bank", str(escaping_bank))
        assert_one_message(ran, 1, f"{drill_id}: {field}:", "outside the bank directory")
        assert SECRET not in ran.stdout + ran.stderr


def test_drill_and_check_refuse_a_drill_whose_files_leave_the_bank(
    escaping_bank: Path, isolated_home: Path
) -> None:
    started = run_cli("drill", "via-link", "--bank", str(escaping_bank))
    assert_one_message(started, 1, "via-link: starter:")
    assert not (isolated_home / "workspace" / "via-link.py").exists()
    checked = run_cli("check", "absolute", str(SOLUTION), "--bank", str(escaping_bank))
    assert_one_message(checked, 1, "absolute: mistakes[0].file:")


def test_a_drill_whose_files_stay_inside_loads_and_grades(escaping_bank: Path) -> None:
    shown = run_cli("solution", "my-bn", "--force", "--bank", str(escaping_bank))
    assert shown.returncode == 0 and "def batchnorm_forward" in shown.stdout
    single_file = str(escaping_bank / "drills.yaml")  # a bank given as one file: its directory
    ran = run_cli("check", "my-bn", str(SOLUTION), "--bank", single_file, "--json")
    assert ran.returncode == 0 and json.loads(ran.stdout)["status"] == "pass"
    wrong = escaping_bank / "d" / "bad.py"
    failed = run_cli("check", "my-bn", str(wrong), "--bank", single_file, "--json")
    assert [d["id"] for d in json.loads(failed.stdout)["diagnosis"]] == ["missing-eps"]


def test_lint_exec_names_drill_files_the_grader_cannot_read(tmp_path: Path) -> None:
    files = tmp_path / "d"
    (files / "a-directory.py").mkdir(parents=True)
    shutil.copy(SOLUTION, files / "solution.py")
    shutil.copy(REPO / "questions/drills/bn-forward/starter.py", files / "starter.py")
    (files / "huge.py").write_text("#" * (MAX_SUBMISSION_BYTES + 1))
    entries = [
        drill_entry("dir-mistake", "d/starter.py", "d/solution.py", "d/a-directory.py"),
        drill_entry("huge-mistake", "d/starter.py", "d/solution.py", "d/huge.py"),
    ]
    bank_file(tmp_path, "drills.yaml", *entries, header="schema_version: 1\ndrills:\n")
    ran = run_cli("lint", "--exec", "--no-bundled", "--bank", str(tmp_path), "--json")
    assert ran.returncode == 1 and "Traceback" not in ran.stdout + ran.stderr
    found = {p["id"]: (p["field"], p["message"]) for p in json.loads(ran.stdout)["problems"]}
    assert found["dir-mistake"] == (
        "mistakes[0].file",
        f"not a regular file: {files}/a-directory.py",
    )
    assert found["huge-mistake"][0] == "mistakes[0].file"
    assert f"{MAX_SUBMISSION_BYTES + 1:,} bytes" in found["huge-mistake"][1]


def test_the_bundled_bank_may_use_its_solutions_and_stays_valid() -> None:
    questions = bundled_questions_dir().resolve()
    assert drill_roots(questions) == (questions, questions.parent / "solutions")
    bank = load_bank(use_env=False)
    assert bank.problems == [] and "bn-forward" in bank.drills


# --- code too deep for the compiler --------------------------------------------------


def test_lint_reports_a_verify_snippet_too_deep_to_compile(tmp_path: Path) -> None:
    deep = "x = " + "+".join(["1"] * 200_000)
    bank_file(
        tmp_path,
        "deep.yaml",
        question_yaml("deep-verify", verify=json.dumps(deep)),
        question_yaml("fine-verify", verify="'import torch; assert torch.ones(1).sum() == 1'"),
    )
    ran = run_cli("lint", "--no-bundled", "--bank", str(tmp_path), "--json")
    assert ran.returncode == 1 and "Traceback" not in ran.stdout + ran.stderr
    [problem] = json.loads(ran.stdout)["problems"]
    assert problem["file"].endswith("deep.yaml") and problem["id"] == "deep-verify"
    assert problem["field"] == "verify" and "nested too deeply" in problem["message"]
