"""Reading a file nothing vouches for (a learner's submission, what a child left behind):
a regular file only, at most a given size, never blocking on a FIFO or a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from normquiz.exceptions import FileRefused

KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


def require_regular(info: os.stat_result, limit: int) -> None:
    """FileRefused unless ``info`` is a regular file of at most ``limit`` bytes."""
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(kind=KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file"))
    if info.st_size > limit:
        raise FileRefused(size=info.st_size)


def read_regular(path: Path, limit: int, follow_links: bool = True) -> bytes:
    """At most ``limit`` bytes of a regular file; FileRefused otherwise, OSError when it
    cannot be opened. Opened without blocking, checked on the open descriptor."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        require_regular(os.fstat(fd), limit)
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew since the check
        raise FileRefused(size=len(data))
    return data
