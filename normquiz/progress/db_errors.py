"""Why the progress database cannot be used, told apart precisely, in one line each.

SQLite reports a full disk as SQLITE_FULL, but a write refused by the file-size limit
(RLIMIT_FSIZE, ``ulimit -f``: EFBIG) or a failing device as a bare "disk I/O error", and a
directory or a read-only file as "unable to open". So each error is matched against what
the file system says now: a non-file where a file belongs, the size limit reached, no
free space, a read-only file system, file or directory. Only SQLite's own verdict that the
file is damaged gives the "unreadable ... move it aside" advice.

Python ignores SIGXFSZ at start-up (CPython's ``signal_install_handlers``), so a write past
the size limit fails with EFBIG instead of killing the process.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import sys
from pathlib import Path

from normquiz.exceptions import UserDataError

INTEGRITY_FAILED = "integrity check failed"  # the store's own error after PRAGMA quick_check
SAVED = "your earlier answers are saved"
ELSEWHERE = "set NORMQUIZ_HOME to a writable directory"
# More than any single write SQLite makes (a WAL frame is a page plus 24 bytes; the shared
# memory file grows in 32 KiB regions): a file this close to the size limit has hit it.
_SLACK = 64 * 1024


def database_error(path: Path, error: sqlite3.Error) -> UserDataError:
    """The one-line message for ``error`` on the database at ``path``."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(error)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or text == INTEGRITY_FAILED:
        return UserDataError(_corrupt(path, text))
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return UserDataError(
            f"the progress database {path} stayed locked by another program ({text}); end "
            "the other normquiz session (or the program holding it) and run again"
        )
    return UserDataError(
        not_a_file(path) or _no_room(path, code) or _read_only(path) or _other(path, code, text)
    )


def _no_room(path: Path, code: int) -> str | None:
    """The message when a write found no room: the size limit, or a full disk."""
    if code not in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN):
        return None
    return _size_limit(path) or _disk_full(path, code == sqlite3.SQLITE_FULL)


def home_error(home: Path, error: OSError) -> UserDataError:
    """The data directory ``home`` could not be created."""
    reason = {
        errno.ENOSPC: "the disk is full; free space and run again",
        errno.EROFS: "it is on a read-only file system",
        errno.EEXIST: "a file of that name is in the way",
        errno.ENOTDIR: "a file is in the way on its path",
    }.get(error.errno or 0, error.strerror)
    return UserDataError(
        f"cannot create the data directory {home}: {reason}. "
        "Set NORMQUIZ_HOME to a writable directory."
    )


def not_a_file(path: Path) -> str | None:
    """The message when the database (or a file SQLite keeps beside it) is not a file."""
    for item in _files(path):
        try:
            mode = item.stat().st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            return (
                f"{item} is {kind}, where normquiz keeps its progress database: "
                f"move it aside, or {ELSEWHERE}"
            )
    return None


def _files(path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it."""
    return [path] + [path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")]


def _corrupt(path: Path, text: str) -> str:
    return (
        f"the progress database {path} is unreadable ({text}). It was left untouched. "
        f"To keep your history, try `sqlite3 {path} .recover > recovered.sql`; to start over, "
        f"move it aside: mv {path} {path}.broken"
    )


def _size_limit(path: Path) -> str | None:
    """The message when the file-size limit (``ulimit -f``) stops the database growing."""
    if sys.platform == "win32":
        return None
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY or max(map(_size, _files(path))) + _SLACK < soft:
        return None
    return (
        f"the file size limit of this process ({soft:,} bytes, see `ulimit -f`) stops "
        f"{path} from growing; {SAVED}; raise the limit (`ulimit -f unlimited`) and run again"
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _disk_full(path: Path, reported_full: bool) -> str | None:
    """The message when the disk holding the database is full (SQLite said so, or the file
    system has no room left: SQLite reports some ENOSPC as an I/O error)."""
    if not reported_full and not _little_free_space(path.parent):
        return None
    return f"the disk holding {path} is full; {SAVED}; free space and run again"


def _little_free_space(folder: Path) -> bool:
    if not hasattr(os, "statvfs"):
        return False
    try:
        info = os.statvfs(folder)
    except OSError:
        return False
    return info.f_bavail * info.f_frsize < _SLACK or (info.f_files > 0 and info.f_favail == 0)


def _read_only(path: Path) -> str | None:
    """The message when the file system, a file or the directory cannot be written."""
    folder = path.parent
    for item in [folder, *_files(path)]:
        if _on_read_only_mount(item):
            return f"{item} is on a read-only file system (or mount): {ELSEWHERE}"
    for item in _files(path):
        if item.exists() and not os.access(item, os.R_OK | os.W_OK):
            return f"{item} is read-only: make it writable (chmod u+rw {item}), or {ELSEWHERE}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"the directory {folder} is read-only, and normquiz keeps {path.name} and "
            f"SQLite's files beside it there: make it writable (chmod u+w {folder}), "
            f"or {ELSEWHERE}"
        )
    return None


def _on_read_only_mount(item: Path) -> bool:
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(item).f_flag & os.ST_RDONLY)
    except OSError:  # absent: it is created when needed
        return False


def _other(path: Path, code: int, text: str) -> str:
    """Nothing on the file system explains the error: say what SQLite said."""
    if code == sqlite3.SQLITE_IOERR:
        return (
            f"reading or writing the progress database {path} failed ({text}); it was left "
            "untouched. Check the disk (a quota, a failing device, a lost network mount) "
            "and run again"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return f"cannot open the progress database {path} ({text}); check it, or {ELSEWHERE}"
    return f"cannot use the progress database {path} ({text}); it was left untouched"
