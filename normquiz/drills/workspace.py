"""The learner's workspace: one file per drill, started from the starter, reset with a backup."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.exceptions import UserDataError
from normquiz.paths import user_home


@dataclass(frozen=True)
class Started:
    path: Path
    created: bool  # False when the learner's file already existed and was left alone


def workspace_dir() -> Path:
    return user_home() / "workspace"


def workspace_file(drill: Drill, directory: Path | None = None) -> Path:
    """The learner's file for a drill: in ``directory``, else the default workspace."""
    return (directory or workspace_dir()) / f"{drill.id}.py"


def starter_path(bank: Bank, drill: Drill) -> Path:
    return bank.drill_dirs[drill.id] / drill.starter


def start(bank: Bank, drill: Drill, directory: Path | None = None) -> Started:
    """Write the starter into the workspace, unless the learner already has a file there."""
    target = workspace_file(drill, directory)
    if target.exists():
        return Started(target, False)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(starter_path(bank, drill), target)
    except OSError as error:
        raise UserDataError(
            f"cannot write {target}: {error.strerror}. Set NORMQUIZ_HOME or "
            "use --dir with a writable directory."
        ) from None
    return Started(target, True)


def reset(bank: Bank, drill: Drill, directory: Path | None = None) -> Path | None:
    """Put the starter back; the learner's file is kept as a timestamped backup (returned)."""
    target = workspace_file(drill, directory)
    backup = None
    try:
        if target.exists():
            backups = target.parent / ".backups"
            backups.mkdir(exist_ok=True)
            backup = backups / f"{drill.id}.{time.strftime('%Y%m%d-%H%M%S')}.py"
            shutil.copyfile(target, backup)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(starter_path(bank, drill), target)
    except OSError as error:
        raise UserDataError(f"cannot reset {target}: {error.strerror}") from None
    return backup
