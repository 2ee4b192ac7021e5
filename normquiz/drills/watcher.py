"""Noticing saves of one file: watchfiles on its directory, polling as the fallback.

Editors often save by writing a new file and renaming it, so the directory is watched and
events are filtered by name.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

POLL_ENV = "NORMQUIZ_WATCH_POLL"


class FileWatcher:
    """Puts the path on ``changes`` each time the file's content may have changed."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self.changes: queue.Queue[Path] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> FileWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        if os.environ.get(POLL_ENV):
            self._poll()
            return
        try:
            self._watch()
        except Exception:  # noqa: BLE001 - e.g. no inotify: fall back to polling
            self._poll()

    def _watch(self) -> None:
        from watchfiles import watch

        for changes in watch(
            self.path.parent,
            stop_event=self._stop,
            debounce=150,
            step=50,
            recursive=False,
            raise_interrupt=False,
        ):
            if any(Path(changed).resolve() == self.path for _, changed in changes):
                self.changes.put(self.path)

    def _poll(self, interval: float = 0.3) -> None:
        last = _signature(self.path)
        while not self._stop.wait(interval):
            current = _signature(self.path)
            if current != last:
                last = current
                self.changes.put(self.path)


def _signature(path: Path) -> tuple[float, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime, stat.st_size)
