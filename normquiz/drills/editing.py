"""Editing a drill file in the learner's own editor ($VISUAL, else $EDITOR), then grading it."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.check import check_file
from normquiz.drills.results import CheckResult
from normquiz.drills.worker import grading_worker
from normquiz.exceptions import EditorError


def open_editor(path: Path) -> None:
    """Open ``path`` in the learner's editor and wait until it closes."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise EditorError("set $VISUAL or $EDITOR to open files, e.g. export EDITOR=nano")
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)
    except OSError as error:
        raise EditorError(f"cannot start the editor '{editor}': {error.strerror}") from None


def edit_then_check(bank: Bank, drill: Drill, path: Path) -> CheckResult:
    """Open the editor while the grading worker warms up; grade the file when it closes."""
    with grading_worker() as worker:
        worker.warm_in_background()
        open_editor(path)
        return check_file(bank, drill, path, worker)
