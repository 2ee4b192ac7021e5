"""The learner's workspace: one file per drill, started from the starter, reset with a backup."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.backups import BACKUP_DIR, Backup, list_backups, make_backup
from normquiz.exceptions import NormquizError, UserDataError
from normquiz.paths import user_home

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Started:
    path: Path
    created: bool  # False when the learner's file already existed and was left alone


def workspace_dir() -> Path:
    return user_home() / "workspace"


def workspace_file(drill: Drill, directory: Path | None = None) -> Path:
    """The learner's file for a drill: in ``directory``, else the default workspace."""
    return (directory or workspace_dir()) / f"{drill.id}.py"


def workspace_entries(
    drills: Iterable[Drill], directory: Path | None = None
) -> list[tuple[Drill, Path]]:
    """The drills whose file name is taken in the workspace (by a file or anything else)."""
    folder = directory or workspace_dir()
    try:
        names = set(os.listdir(folder))
    except FileNotFoundError:
        return []
    except OSError as error:
        raise UserDataError(f"cannot read the workspace {folder}: {error.strerror}") from None
    return [(drill, folder / f"{drill.id}.py") for drill in drills if f"{drill.id}.py" in names]


def backups_dir(directory: Path | None = None) -> Path:
    """Where ``reset`` keeps the learner's previous files."""
    return (directory or workspace_dir()) / BACKUP_DIR


def backups(drill: Drill | None = None, directory: Path | None = None) -> list[Backup]:
    """The backups of ``drill`` (or of every drill) in the workspace, newest first."""
    return list_backups(backups_dir(directory), drill.id if drill else None)


def starter_path(bank: Bank, drill: Drill) -> Path:
    return bank.drill_file(drill.id, drill.starter)


def start(bank: Bank, drill: Drill, directory: Path | None = None) -> Started:
    """Write the starter into the workspace, unless the learner already has a file there."""
    target = workspace_file(drill, directory)
    try:
        if _taken(target):
            return Started(target, False)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_starter(bank, drill, target)
    except OSError as error:
        raise UserDataError(
            f"cannot write {target}: {error.strerror}. Set NORMQUIZ_HOME or "
            "use --dir with a writable directory."
        ) from None
    return Started(target, True)


def reset(
    bank: Bank, drill: Drill, directory: Path | None = None, now: Clock = datetime.now
) -> Path | None:
    """Put the starter back; the learner's file is first kept as a new backup (returned),
    never overwriting an earlier one. If the backup cannot be written, nothing changes."""
    target = workspace_file(drill, directory)
    backup = None
    try:
        if _taken(target):
            backup = make_backup(target, backups_dir(directory), drill.id, now())
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_starter(bank, drill, target)
    except OSError as error:
        kept = f"your file is kept in {backup}" if backup else "your file was left as it is"
        raise UserDataError(f"cannot reset {target}: {error.strerror}; {kept}") from None
    return backup


def _taken(target: Path) -> bool:
    """Whether the learner has a file at ``target``; anything else there is an error."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise UserDataError(
            f"{target} is {kind}, where the drill's file belongs: move it aside, "
            "or use --dir with another workspace"
        )
    return True


def _copy_starter(bank: Bank, drill: Drill, target: Path) -> None:
    source = starter_path(bank, drill)
    try:
        text = source.read_bytes()
    except OSError as error:
        raise NormquizError(
            f"{drill.id}: cannot read its starter {source}: {error.strerror} "
            "(`normquiz lint` checks the bank)"
        ) from None
    target.write_bytes(text)
