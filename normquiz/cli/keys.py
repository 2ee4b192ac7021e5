"""Single keys from a terminal (cbreak mode, restored on exit), or one per line from a pipe."""

from __future__ import annotations

import os
import select
import sys
import termios
import tty
from typing import Any, TextIO


class KeyReader:
    def __init__(self, stream: TextIO = sys.stdin) -> None:
        self.stream = stream
        self.fd = stream.fileno()
        self.is_tty = stream.isatty()
        self._saved: list[Any] | None = None  # termios attributes to restore
        self.closed = False

    def __enter__(self) -> KeyReader:
        if self.is_tty:
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def get(self, timeout: float) -> str | None:
        """One key, or None when none arrived in time; 'q' once input has ended."""
        if self.closed:
            return "q"
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        if self.is_tty:
            data = os.read(self.fd, 1).decode("utf-8", "replace")
        else:
            data = self.stream.readline()
        if not data:
            self.closed = True
            return "q"
        key = data.strip()[:1] if not self.is_tty else data
        return "\x03" if key == "\x03" else (key or None)
