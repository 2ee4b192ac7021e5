"""Backups of the learner's drill files: a new file each time, never overwritten.

A backup is ``.backups/ID.YYYYmmdd-HHMMSS-ffffff[-N].py`` beside the workspace files (local
time to the microsecond, then a counter), created with O_EXCL: two resets in the same
microsecond, even from two processes, get two files.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from pathlib import Path

from normquiz.exceptions import UserDataError

BACKUP_DIR = ".backups"
_STAMP = "%Y%m%d-%H%M%S"
# Names written before microseconds were added (ID.YYYYmmdd-HHMMSS.py) are listed too.
_NAME = re.compile(
    r"^(?P<drill>.+?)\.(?P<stamp>\d{8}-\d{6})(?:-(?P<micro>\d{6}))?(?:-(?P<number>\d+))?\.py$"
)


@dataclass(frozen=True)
class Backup:
    """One backup of a learner's drill file."""

    path: Path
    drill_id: str
    made: datetime  # local time, from the name
    number: int  # 0, or the counter that made the name unique
    size: int  # bytes

    @property
    def restore_to(self) -> Path:
        """The drill's file in the workspace this backup belongs to: copy it back there."""
        return self.path.parent.parent / f"{self.drill_id}.py"

    def to_json(self) -> dict[str, object]:
        return {
            "drill": self.drill_id,
            "path": str(self.path),
            "made": self.made.isoformat(),
            "size": self.size,
            "restore_to": str(self.restore_to),
        }


def make_backup(source: Path, folder: Path, drill_id: str, now: datetime) -> Path:
    """Copy ``source`` to a new backup in ``folder`` (flushed to disk); returns its path."""
    data = source.read_bytes()
    folder.mkdir(exist_ok=True)
    stamp = now.strftime(f"{_STAMP}-%f")
    for number in count():
        path = folder / f"{drill_id}.{stamp}{f'-{number}' if number else ''}.py"
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        _write_all(handle, path, data)
        return path
    raise AssertionError("unreachable")


def _write_all(handle: int, path: Path, data: bytes) -> None:
    """Write and fsync; on failure (a full disk) remove the partial backup and re-raise."""
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError:
        path.unlink(missing_ok=True)
        raise


def list_backups(folder: Path, drill_id: str | None = None) -> list[Backup]:
    """The backups in ``folder`` (of ``drill_id`` only, if given), newest first."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    except OSError as error:
        raise UserDataError(f"cannot read the backups in {folder}: {error.strerror}") from None
    found = [_backup(folder / name) for name in names]
    chosen = [b for b in found if b is not None and drill_id in (None, b.drill_id)]
    return sorted(chosen, key=lambda b: (b.made, b.number, b.path.name), reverse=True)


def _backup(path: Path) -> Backup | None:
    """The backup at ``path``, or None when its name is not a backup's or it is no file."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        info = path.stat()
        made = datetime.strptime(match["stamp"], _STAMP)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    made = made.replace(microsecond=int(match["micro"] or 0))
    return Backup(path, match["drill"], made, int(match["number"] or 0), info.st_size)
