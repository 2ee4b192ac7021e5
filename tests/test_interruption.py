"""Interruption and hostile process games leave nothing running: every process started for a
check carries a marker in its environment, and /proc is scanned for it afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import REPO

ENDLESS = """
import os, pathlib
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    pathlib.Path(os.environ["STARTED"]).write_text("started")
    {body}
"""
LOOP = "while True:\n        pass"


def marked(marker: str) -> list[int]:
    """Live processes whose environment holds the marker."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if marker.encode() in environ.read():
                    with open(f"/proc/{entry}/stat", "rb") as stat:
                        if stat.read().rsplit(b")", 1)[1].split()[0] != b"Z":
                            found.append(int(entry))
        except OSError:
            continue
    return found


def none_left(marker: str, within: float = 10.0) -> list[int]:
    deadline = time.monotonic() + within
    while (left := marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def start_check(tmp_path: Path, body: str, *extra: str) -> tuple[subprocess.Popen[str], str, Path]:
    """`normquiz check` of a submission running ``body``, in its own process group, once the
    submission has started."""
    marker = uuid.uuid4().hex
    started = tmp_path / f"started-{marker}"
    submission = tmp_path / "submission.py"
    submission.write_text(textwrap.dedent(ENDLESS).format(body=body))
    temporary = tmp_path / "tmp"  # where normquiz's and the sandbox's files go
    temporary.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "NORMQUIZ_TEST_MARKER": marker,
        "STARTED": str(started),
        "TMPDIR": str(temporary),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "normquiz", "check", "bn-forward", str(submission), *extra],
        env=env,
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert started.exists(), process.communicate()
    return process, marker, started


@pytest.mark.parametrize(
    "signum, to_group",
    [
        (signal.SIGINT, True),  # Ctrl-C: the terminal signals the foreground group
        (signal.SIGHUP, True),  # the terminal closed
        (signal.SIGTERM, False),  # `kill PID` of normquiz alone
        (signal.SIGTERM, True),
    ],
)
def test_a_signal_during_a_check_ends_every_process(tmp_path, signum, to_group) -> None:
    process, marker, _ = start_check(tmp_path, LOOP)
    assert len(marked(marker)) >= 4  # normquiz, its worker, the zygote, the learner's child
    (os.killpg if to_group else os.kill)(process.pid, signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signum
    assert stderr.strip() == "check interrupted; nothing was recorded"
    assert none_left(marker) == []
    assert list((tmp_path / "tmp").iterdir()) == []  # no job directory left either


def test_killing_normquiz_outright_still_ends_the_learners_process(tmp_path) -> None:
    process, marker, _ = start_check(tmp_path, LOOP)
    process.kill()  # no handler runs: the worker learns of it by its parent-death signal
    process.communicate(timeout=30)
    assert none_left(marker) == []
    deadline = time.monotonic() + 10
    while list((tmp_path / "tmp").iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)  # the worker removes its files as it ends
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize(
    "body, expected",
    [
        # a grandchild in its own session that outlives the child
        (
            "if os.fork() == 0:\n        os.setsid()\n        while True: pass\n"
            "    while True: pass",
            "did not finish",
        ),
        # a chain of 80 processes, deeper than any fixed number of cleanup rounds
        (
            "for _ in range(80):\n        if os.fork() != 0:\n            break\n"
            "    while True: pass",
            "did not finish",
        ),
        # the child kills the process that supervises it
        ("os.kill(os.getppid(), 9)\n    while True: pass", "killed or stopped"),
        # the child stops the process that supervises it
        ("os.kill(os.getppid(), signal.SIGSTOP)\n    while True: pass", "killed or stopped"),
    ],
    ids=["detached-grandchild", "deep-chain", "kill-parent", "stop-parent"],
)
def test_process_games_in_learner_code_end_with_a_message_and_nothing_left(
    tmp_path, body: str, expected: str
) -> None:
    process, marker, _ = start_check(tmp_path, "import signal\n    " + body, "--timeout", "3")
    stdout, stderr = process.communicate(timeout=60)
    assert expected in stdout, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert none_left(marker) == []


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGSTOP])
def test_a_worker_killed_or_stopped_by_learner_code_is_an_error_not_a_hang(
    tmp_path, signum: int
) -> None:
    body = (
        "worker = int(open(f'/proc/{os.getppid()}/stat').read().rsplit(')', 1)[1].split()[1])\n"
        f"    os.kill(worker, {int(signum)})\n    while True: pass"
    )
    process, marker, _ = start_check(tmp_path, body, "--timeout", "30")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "sandbox worker was" in stderr and "Traceback" not in stderr
    assert none_left(marker) == []


def test_a_banks_mistake_file_runs_sandboxed_with_the_checks_limits(tmp_path) -> None:
    """Mistake files are bank code: one that loops at import is cut off by --timeout, and
    one that reaches for normquiz (as code in the worker could) is refused."""
    import shutil

    bank = tmp_path / "bank"
    (bank / "d").mkdir(parents=True)
    (bank / "d" / "loop.py").write_text("while True:\n    pass\n")
    (bank / "d" / "peek.py").write_text(
        "import normquiz.drills.grading\n"
        "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return x\n"
    )
    shutil.copy(REPO / "solutions" / "bn-forward.py", bank / "d" / "solution.py")
    shutil.copy(REPO / "questions" / "drills" / "bn-forward" / "starter.py", bank / "d" / "s.py")
    manifest = (REPO / "questions" / "drills.yaml").read_text()
    drill = manifest.split("  - id: bn-running-stats")[0].replace("id: bn-forward", "id: my-bn")
    drill = drill.replace("starter: drills/bn-forward/starter.py", "starter: d/s.py")
    drill = drill.replace("solution: ../solutions/bn-forward.py", "solution: d/solution.py")
    for index, name in enumerate(("unbiased-variance", "eps-outside-sqrt")):
        target = "d/loop.py" if index == 0 else "d/peek.py"
        drill = drill.replace(f"file: drills/bn-forward/mistakes/{name}.py", f"file: {target}")
    source = REPO / "questions" / "drills" / "bn-forward" / "mistakes"
    shutil.copytree(source, bank / "drills" / "bn-forward" / "mistakes")
    (bank / "drills.yaml").write_text(drill)
    wrong = tmp_path / "wrong.py"  # x itself: wrong, and no known mistake
    wrong.write_text("def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return x * 1.0\n")
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "normquiz",
            "check",
            "my-bn",
            str(wrong),
            "--bank",
            str(bank),
            "--timeout",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert ran.returncode == 1, ran.stderr
    assert '"status": "fail"' in ran.stdout and "Traceback" not in ran.stderr


LOOPING_SNIPPET = (
    "\"import os, pathlib; pathlib.Path(os.environ['STARTED']).write_text('s')\\nwhile True: pass\""
)


def looping_proof_bank(tmp_path: Path) -> Path:
    from tests.conftest import bank_file, question_yaml

    return bank_file(
        tmp_path / "bank",
        "q.yaml",
        question_yaml("loops", verify=LOOPING_SNIPPET, tags="[looping-proof]"),
    )


def wait_started(started: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert started.exists(), process.communicate(timeout=5) if process.poll() is not None else ""


def test_a_signal_during_lint_exec_ends_the_snippet(tmp_path) -> None:
    bank = looping_proof_bank(tmp_path)
    marker, started = uuid.uuid4().hex, tmp_path / "started"
    process = subprocess.Popen(
        [sys.executable, "-m", "normquiz", "lint", "--exec", "--no-bundled", "--bank", str(bank)],
        env={**os.environ, "NORMQUIZ_TEST_MARKER": marker, "STARTED": str(started)},
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_started(started, process)
    os.killpg(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143
    assert stderr.strip().splitlines()[-1] == "lint interrupted; nothing was recorded"
    assert none_left(marker) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP])
def test_a_signal_during_a_quiz_proof_ends_the_snippet(tmp_path, isolated_home, signum) -> None:
    bank = looping_proof_bank(tmp_path)
    marker, started = uuid.uuid4().hex, tmp_path / "started"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "normquiz",
            "quiz",
            "--plain",
            "--bank",
            str(bank),
            "--tag",
            "looping-proof",
        ],
        env={**os.environ, "NORMQUIZ_TEST_MARKER": marker, "STARTED": str(started)},
        cwd=REPO,
        start_new_session=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    process.stdin.write("a\np\n")
    process.stdin.flush()
    wait_started(started, process)
    os.killpg(process.pid, signum)
    process.communicate(timeout=30)
    assert process.returncode in (0, 128 + signum)  # Ctrl-C in a quiz ends it normally
    assert none_left(marker) == []


def test_ctrl_c_in_watch_ends_the_check_under_way(isolated_home) -> None:
    import pexpect

    marker, started = uuid.uuid4().hex, isolated_home / "started"
    env = {**os.environ, "NORMQUIZ_TEST_MARKER": marker, "STARTED": str(started)}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "normquiz", "watch", "bn-forward"],
        env=env,
        cwd=str(REPO),
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 120),
    )
    child.expect("q quit")
    workspace_file = isolated_home / "workspace" / "bn-forward.py"
    workspace_file.write_text(textwrap.dedent(ENDLESS).format(body=LOOP))
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    child.sendintr()  # Ctrl-C typed in the terminal
    child.expect("watch interrupted; checks that had finished are recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert none_left(marker) == []
