"""Linux process controls the sandbox relies on: prctl flags, descriptors, and finding and
killing every process a job left behind, however deep or detached."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
SWEEP_SECONDS = 5.0


def signal_name(number: int) -> str:
    """SIGKILL, or "signal 40" for one Python has no name for (real-time signals)."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _prctl(option: int, value: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(option, value, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Orphans of our children are re-parented to us, so they can be found and killed."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(signum: int, parent: int) -> None:
    """Receive ``signum`` when the parent ends; end now if it already has."""
    _prctl(PR_SET_PDEATHSIG, signum)
    if os.getppid() != parent:
        os._exit(1)


def not_dumpable() -> None:
    """Other processes of this user (learner code) cannot read our memory or descriptors
    through /proc or ptrace."""
    _prctl(PR_SET_DUMPABLE, 0)


def close_descriptors(keep: tuple[int, ...]) -> None:
    """Close every inherited descriptor above stderr except ``keep``."""
    low = 3
    for fd in sorted(k for k in keep if k >= 3):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, _max_descriptors())


def _max_descriptors() -> int:
    try:
        return max(int(name) for name in os.listdir("/proc/self/fd")) + 1
    except (OSError, ValueError):
        return 65536


def _stat(pid: int | str) -> tuple[str, int] | None:
    """(state letter, parent pid) from /proc/PID/stat, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()  # the name may hold spaces
        return fields[0].decode(), int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def state_of(pid: int) -> str | None:
    """The process's state letter (R, S, T, Z, ...), or None when it is gone."""
    found = _stat(pid)
    return found[0] if found else None


def is_stopped(pid: int) -> bool:
    return state_of(pid) in ("T", "t")


def _parents() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) for every process we can see."""
    table: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        found = _stat(entry) if entry.isdigit() else None
        if found:
            table[int(entry)] = (found[1], found[0])
    return table


def descendants(root: int) -> list[int]:
    """Every live (non-zombie) process below ``root``, at any depth."""
    table = _parents()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found: list[int] = []
    frontier = list(children.get(root, ()))
    while frontier:
        pid = frontier.pop()
        found.append(pid)
        frontier.extend(children.get(pid, ()))
    return [pid for pid in found if table[pid][1] != "Z"]


def kill_tree(group: int | None = None) -> None:
    """Kill ``group`` (a process group), then every process below us, until none is left:
    deep chains, new sessions and forks made in between included."""
    if group is not None:
        kill_group(group)
    deadline = time.monotonic() + SWEEP_SECONDS
    while True:
        alive = descendants(os.getpid())
        for pid in alive:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        reap_children()
        if not alive or time.monotonic() > deadline:
            return
        time.sleep(0.002)


def kill_group(group: int) -> None:
    """SIGKILL a whole process group, if it still exists."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def reap_children() -> None:
    """Collect every ended child, orphans re-parented to us included."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
