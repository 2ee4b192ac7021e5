"""Keys by name ("q", "up", "enter", "escape", "c-c"): from a terminal in raw mode (restored
on exit), parsed by prompt-toolkit; from a pipe, one key per line.

In raw mode Ctrl-C arrives as the key "c-c" rather than as SIGINT, so that a program
reading keys decides what it ends (and no child of ours gets the signal).
"""

from __future__ import annotations

import select
import sys
from collections import deque
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from prompt_toolkit.input.vt100 import Vt100Input
    from prompt_toolkit.key_binding import KeyPress

ESCAPE_WAIT_S = 0.05  # after a lone Escape byte: the rest of an arrow key's sequence?
RENAMED = {"c-m": "enter", "c-j": "enter", "c-h": "backspace", "c-i": "tab"}
NAMED = frozenset({"enter", "escape", "up", "down", "left", "right", "backspace", "tab", "c-c"})


def key_name(press: KeyPress) -> str:
    """A key press as a name: the character typed, or prompt-toolkit's name of the key."""
    key = press.key
    name = key if isinstance(key, str) and len(key) == 1 else str(getattr(key, "value", key))
    return RENAMED.get(name, name)


class KeyReader:
    """Reads keys from ``stream``; use it as a context manager."""

    def __init__(self, stream: TextIO = sys.stdin) -> None:
        self.stream = stream
        self.is_tty = stream.isatty()
        self.closed = False
        self._input: Vt100Input | None = None
        self._raw: AbstractContextManager[None] | None = None
        self._pending: deque[str] = deque()

    def __enter__(self) -> KeyReader:
        if self.is_tty:
            from prompt_toolkit.input.vt100 import Vt100Input

            self._input = Vt100Input(self.stream)
            self._raw = self._input.raw_mode()
            self._raw.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._raw is not None:
            self._raw.__exit__(None, None, None)
            self._raw = None

    def get(self, timeout: float) -> str | None:
        """The next key, or None when none arrived in time; 'q' once input has ended."""
        if self._pending:
            return self._pending.popleft()
        if self.closed:
            return "q"
        ready, _, _ = select.select([self.stream.fileno()], [], [], timeout)
        if ready:
            self._pending.extend(self._read_terminal() if self._input else self._read_line_key())
        return self._pending.popleft() if self._pending else ("q" if self.closed else None)

    def _read_terminal(self) -> list[str]:
        assert self._input is not None
        presses = self._input.read_keys()
        if not presses and not self._input.closed:  # a lone Escape, or half a sequence
            more, _, _ = select.select([self.stream.fileno()], [], [], ESCAPE_WAIT_S)
            presses = self._input.read_keys() if more else self._input.flush_keys()
        self.closed = self._input.closed
        return [key_name(press) for press in presses]

    def _read_line_key(self) -> list[str]:
        """A pipe: each line is a key (its first character, or a key's name)."""
        line = self.stream.readline()
        if not line:
            self.closed = True
            return []
        text = line.strip()
        return [text if text in NAMED else text[:1]] if text else []

    def read_line(self) -> str | None:
        """One line of text, typed with the terminal's own line editing; None at the end of
        input. Ctrl-C meanwhile raises KeyboardInterrupt."""
        if self._input is not None:
            with self._input.cooked_mode():
                line = self.stream.readline()
        else:
            line = self.stream.readline()
        if not line:
            self.closed = True
            return None
        return line.rstrip("\r\n")
