"""A small terminal emulator for pty tests: what a learner would see on an xterm-like
screen (main screen with scrollback, alternate screen, autowrap, the cursor moves and
erases prompt-toolkit and rich emit), and `Term`, a pexpect child read into it.

A resize behaves like xterm: lines are cut or padded, never reflowed; when the screen gets
shorter, lines above the cursor go to the scrollback."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect

NORMQUIZ = Path(sys.executable).with_name("normquiz")
_CSI = re.compile(r"\x1b\[([?>=]?)([0-9;]*)([ -/]*)([@-~])")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_ESC = re.compile(r"\x1b[()][0-9A-Za-z]|\x1b[=>78cM]")


class Screen:
    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns
        self.main = [[" "] * columns for _ in range(rows)]
        self.scrollback: list[str] = []
        self.alternate: list[list[str]] | None = None
        self.saved_main_cursor = (0, 0)
        self.row = self.column = 0
        self.autowrap = True
        self.pending_wrap = False

    @property
    def grid(self) -> list[list[str]]:
        return self.alternate if self.alternate is not None else self.main

    def lines(self) -> list[str]:
        """The visible screen, trailing spaces dropped."""
        return ["".join(line).rstrip() for line in self.grid]

    def history(self) -> list[str]:
        """The main screen's scrollback and lines (what stays after the program)."""
        return [*self.scrollback, *("".join(line).rstrip() for line in self.main)]

    def feed(self, data: str) -> None:
        data = _OSC.sub("", data)
        position = 0
        while position < len(data):
            char = data[position]
            if char == "\x1b":
                match = _CSI.match(data, position)
                if match:
                    self._csi(*match.groups())
                    position = match.end()
                    continue
                other = _ESC.match(data, position)
                position = other.end() if other else position + 1
                continue
            self._char(char)
            position += 1

    def resize(self, rows: int, columns: int) -> None:
        for grid in (self.main, self.alternate):
            if grid is None:
                continue
            for index, line in enumerate(grid):
                grid[index] = (line + [" "] * columns)[:columns]
        while self.rows > rows:  # xterm: lines above the cursor scroll off the top
            if self.row >= rows:
                self.scrollback.append("".join(self.main.pop(0)).rstrip())
                self.row -= 1
            else:
                self.main.pop()
            if self.alternate is not None:
                self.alternate.pop()
            self.rows -= 1
        while self.rows < rows:
            self.main.append([" "] * columns)
            if self.alternate is not None:
                self.alternate.append([" "] * columns)
            self.rows += 1
        self.columns = columns
        self.column = min(self.column, columns - 1)
        self.pending_wrap = False

    def _char(self, char: str) -> None:
        if char == "\r":
            self.column, self.pending_wrap = 0, False
        elif char == "\n":
            self._line_feed()
        elif char == "\b":
            self.column, self.pending_wrap = max(0, self.column - 1), False
        elif char == "\t":
            self.column = min(self.columns - 1, (self.column // 8 + 1) * 8)
        elif char >= " ":
            if self.pending_wrap and self.autowrap:
                self.column = 0
                self._line_feed()
            self.pending_wrap = False
            self.grid[self.row][self.column] = char
            if self.column == self.columns - 1:
                self.pending_wrap = True
            else:
                self.column += 1

    def _line_feed(self) -> None:
        self.pending_wrap = False
        if self.row < self.rows - 1:
            self.row += 1
            return
        top = self.grid.pop(0)
        if self.alternate is None:
            self.scrollback.append("".join(top).rstrip())
        self.grid.append([" "] * self.columns)

    def _csi(self, private: str, params: str, _middle: str, final: str) -> None:
        numbers = [int(n) if n else 0 for n in params.split(";")] if params else []
        first = numbers[0] if numbers else 0
        count = max(1, first)
        if private == "?":
            self._mode(numbers, final == "h")
        elif private:
            return
        elif final == "A":
            self.row = max(0, self.row - count)
        elif final == "B":
            self.row = min(self.rows - 1, self.row + count)
        elif final == "C":
            self.column = min(self.columns - 1, self.column + count)
        elif final == "D":
            self.column = max(0, self.column - count)
        elif final == "G":
            self.column = min(self.columns - 1, count - 1)
        elif final in "Hf":
            row, column = [*numbers, 1, 1][:2]
            self.row = min(self.rows - 1, max(1, row) - 1)
            self.column = min(self.columns - 1, max(1, column) - 1)
        elif final == "J":
            self._erase_display(first)
        elif final == "K":
            self._erase_line(first)
        else:
            return  # colours and the rest change nothing a test reads
        self.pending_wrap = False

    def _mode(self, numbers: list[int], on: bool) -> None:
        for number in numbers:
            if number == 7:
                self.autowrap = on
            elif number in (47, 1047, 1049):
                if on and self.alternate is None:
                    self.saved_main_cursor = (self.row, self.column)
                    self.alternate = [[" "] * self.columns for _ in range(self.rows)]
                elif not on and self.alternate is not None:
                    self.alternate = None
                    self.row, self.column = self.saved_main_cursor

    def _erase_display(self, how: int) -> None:
        grid = self.grid
        if how in (2, 3):
            for line in grid:
                line[:] = [" "] * self.columns
            return
        rows = range(self.row + 1, self.rows) if how == 0 else range(0, self.row)
        for row in rows:
            grid[row] = [" "] * self.columns
        self._erase_line(how)

    def _erase_line(self, how: int) -> None:
        line = self.grid[self.row]
        start, end = {0: (self.column, self.columns), 1: (0, self.column + 1)}.get(
            how, (0, self.columns)
        )
        line[start:end] = [" "] * (end - start)


class Term:
    """The installed `normquiz` in a pseudo-terminal of ``rows`` x ``columns``, its output
    kept raw (``raw``) and drawn on a ``Screen``."""

    def __init__(self, *args: str, rows: int = 32, columns: int = 100, term: str = "xterm") -> None:
        env = {**os.environ, "TERM": term, "PROMPT_TOOLKIT_NO_CPR": "1"}
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(
            str(NORMQUIZ), list(args), env=env, encoding="utf-8", dimensions=(rows, columns)
        )
        self.screen = Screen(rows, columns)
        self.raw = ""

    def read(self, seconds: float = 0.3) -> None:
        """Take what the program wrote, until it has been quiet for ``seconds``."""
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=seconds)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return
            self.raw += data
            self.screen.feed(data)

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        """Read until ``text`` is on the screen (or in the scrollback)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read(0.2)
            if any(text in line for line in [*self.screen.history(), *self.screen.lines()]):
                self.read(0.3)  # let the program finish drawing
                return
            if not self.child.isalive():
                break
        raise AssertionError(f"{text!r} never shown; screen:\n" + "\n".join(self.screen.lines()))

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def resize(self, rows: int, columns: int) -> None:
        self.screen.resize(rows, columns)
        self.child.setwinsize(rows, columns)

    def finish(self) -> int:
        """Wait for the program to end; its exit status."""
        self.child.expect(pexpect.EOF, timeout=60)
        self.screen.feed(self.child.before or "")
        self.raw += self.child.before or ""
        self.child.close()
        return int(self.child.exitstatus or 0)
