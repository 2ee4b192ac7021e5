"""Shared fixtures: every test gets its own user home and no stray bank directories."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import NamedTuple

import pytest

REPO = Path(__file__).resolve().parent.parent
# Questions with fixed ids, tag and topic `fixture`: session tests select them with
# FIXTURE_ARGS, so they do not depend on what else the bundled bank holds.
FIXTURE_BANK = Path(__file__).resolve().parent / "fixtures" / "bank.yaml"
FIXTURE_ARGS = ("--bank", str(FIXTURE_BANK), "--tag", "fixture")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("normquiz-home")
    monkeypatch.setenv("NORMQUIZ_HOME", str(home))
    monkeypatch.delenv("NORMQUIZ_BANK", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    # pytest-xdist's workers inherit COLUMNS=80 and LINES=24: without this, piped output
    # would be laid out at 80 columns and a pty child would not follow its own window size
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    return home


def question_yaml(qid: str = "q-one", **overrides: str) -> str:
    """A valid single-choice question as YAML lines (indented as a list item)."""
    fields = {
        "id": qid,
        "type": "single",
        "topic": "bn",
        "difficulty": "1",
        "prompt": "Which is right?",
        "explanation": "Because it is.",
        "references": "[{title: torch.nn.BatchNorm2d, url: 'https://docs.pytorch.org/x'}]",
        "choices": "[{text: right, correct: true}, {text: wrong, feedback: nope}]",
    }
    fields.update(overrides)
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "  - " + "\n    ".join(lines) + "\n"


def bank_file(
    directory: Path, name: str, *questions: str, header: str = "schema_version: 1\nquestions:\n"
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(header + "".join(questions), encoding="utf-8")
    return path


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run_normquiz(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m normquiz`` in a real process, with the test's environment: for what a
    process adds (start-up imports, isolation, signals, a terminal)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "normquiz", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or REPO,
        input=input,
        timeout=120,
    )


class Ran(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Ran:
    """Run normquiz's click command in this process (same interface as ``run_normquiz``):
    for output and exit-code tests, where a real process adds nothing."""
    from click.testing import CliRunner

    from normquiz.cli import cli

    result = CliRunner().invoke(
        cli, list(args), env=env, input=input, prog_name="normquiz", catch_exceptions=False
    )
    return Ran(result.exit_code, result.stdout, result.stderr)


def choice_index(question, correct: bool = True) -> int:
    """The first choice of a choice question that is (or, with correct=False, is not) right."""
    return next(i for i, choice in enumerate(question.choices) if choice.correct == correct)


class _SharedWorker:
    """The session's worker as a command sees it: every request goes to the real worker,
    but a command's ``with`` block or ``close()`` does not stop it."""

    def __init__(self, worker) -> None:
        self.worker = worker

    def __getattr__(self, name: str):
        return getattr(self.worker, name)

    def close(self) -> None:
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture(scope="session")
def session_worker():
    """One real worker serving checks and proofs, started once for the whole session."""
    from normquiz.authoring.proofs import PROOFS
    from normquiz.drills.worker import grading_worker

    with grading_worker(PROOFS) as worker:
        yield worker


@pytest.fixture
def shared_worker(session_worker, monkeypatch: pytest.MonkeyPatch):
    """Commands run in-process grade and prove through the session's worker instead of
    starting their own (each start imports torch). Real processes still start their own."""
    monkeypatch.setattr(
        "normquiz.drills.worker.grading_worker", lambda extra=None: _SharedWorker(session_worker)
    )
    monkeypatch.setattr(
        "normquiz.authoring.execute.grading_worker",
        lambda extra=None: _SharedWorker(session_worker),
    )
    monkeypatch.setattr(
        "normquiz.authoring.proofs.proof_worker", lambda: _SharedWorker(session_worker)
    )
    return session_worker


def make_drill_due(home: Path, drill_id: str = "bn-forward") -> None:
    """A failed sitting on ``drill_id`` two days ago: its review is due now."""
    from datetime import UTC, datetime, timedelta

    from normquiz.progress.sittings import DrillCheck
    from normquiz.progress.store import ProgressStore

    when = datetime.now(UTC) - timedelta(days=2)
    with ProgressStore.open(home) as store:
        store.record_drill_check(DrillCheck(drill_id, False, {}, 10, when))
