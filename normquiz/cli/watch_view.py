"""How watch draws: the whole screen redrawn in a terminal, or plain lines elsewhere.

``TerminalView`` clears the screen and prints it whole after each change, fitted to the
terminal: the drill's title, progress, signature and file at the top and the keys at the
bottom always show; between them the prompt, the verdict, the hints and the solution
scroll (Up/Down, PgUp/PgDn, Home/End), placed on what just changed (a new verdict, a hint).
``LineView`` (TERM=dumb, output not a terminal) prints only what changed, as plain text with
no escape codes: the task when the drill changes (and on ``p``), "checking...", each
verdict, the hints, the solution and the messages as they come.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import replace

from rich.console import Console, RenderableType
from rich.text import Text

from normquiz.cli import watch_render as render
from normquiz.cli.bars import unicode_ok
from normquiz.cli.keys import KeyReader
from normquiz.drills.status import DrillStatus
from normquiz.drills.watch import WatchScreen, WatchView

CLEAR = "\x1b[H\x1b[2J"  # cursor home, clear the screen (the scrollback is kept)
TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
ASCII = str.maketrans({"•": "-", "…": "...", "─": "-", "·": "|", "↑": "^", "↓": "v"})
SCROLL_KEYS = ("up", "down", "pageup", "pagedown", "home", "end")


def plain_terminal() -> bool:
    """Whether watch prints plain lines: TERM=dumb, or output that is not a terminal."""
    return os.environ.get("TERM") == "dumb" or not sys.stdout.isatty()


def make_view(keys: KeyReader) -> WatchView:
    return LineView(keys) if plain_terminal() else TerminalView()


def render_lines(console: Console, renderable: RenderableType | None, unicode: bool) -> list[str]:
    """``renderable`` as printed lines (with escape codes where the console uses them)."""
    if renderable is None:
        return []
    with console.capture() as captured:
        console.print(renderable)
    text = TRAILING.sub(r"\1", captured.get().rstrip("\n"))
    return (text if unicode else text.translate(ASCII)).split("\n")


def window(body: list[str], room: int, offset: int) -> tuple[int, int, int]:
    """Which lines of ``body`` fit in ``room`` lines from ``offset``: (first, count, below);
    a line above and a line below are kept for "more" marks when lines are hidden there."""
    if len(body) <= room:
        return 0, len(body), 0
    room = max(room, 3)
    first = max(0, min(offset, len(body) - (room - 1)))
    count = room - (first > 0)
    below = len(body) - first - count
    if below > 0:
        count -= 1
        below += 1
    return first, count, below


class TerminalView:
    """Redraws the whole screen; styles only where allowed (none at all with NO_COLOR)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(
            highlight=False,
            emoji=False,
            markup=False,
            color_system=None if os.environ.get("NO_COLOR") else "auto",  # as options.style
        )
        self.unicode = unicode_ok()
        self.marks = render.Marks.of(self.unicode)
        self.last: WatchScreen | None = None
        self.size = self.console.size
        self.offset = 0  # the first line of the scrolling part shown
        self.sections: dict[str, int] = {}  # where each scrolling section starts

    def _lines(self, renderable: RenderableType | None, gap: bool = False) -> list[str]:
        lines = render_lines(self.console, renderable, self.unicode)
        return ["", *lines] if gap and lines else lines

    def _body(self, screen: WatchScreen) -> list[str]:
        """The scrolling part; ``self.sections`` notes where each section starts."""
        parts = {
            "prompt": self._lines(render.prompt(screen), gap=True),
            "verdict": [
                *self._lines(render.rule(self.marks)),
                *self._lines(render.verdict(screen, self.marks)),
            ],
            "hints": self._lines(render.hints(screen), gap=True),
            "solution": self._lines(render.solution(screen.solution), gap=True),
        }
        body: list[str] = []
        for name, lines in parts.items():
            self.sections[name] = len(body)
            body += lines
        return body

    def draw(self, screen: WatchScreen) -> None:
        previous, self.last, self.size = self.last, screen, self.console.size
        top = self._lines(render.header(screen)) + self._lines(render.task_lines(screen))
        body = self._body(screen)
        if (anchor := _anchor(previous, screen)) is not None:
            self.offset = self.sections[anchor]
        bottom = self._bottom(screen, scrolls=False)
        if len(body) > self.size.height - len(top) - len(bottom):
            bottom = self._bottom(screen, scrolls=True)
        first, count, below = window(body, self.size.height - len(top) - len(bottom), self.offset)
        self.offset = first
        shown = [*self._more("↑", first, "above"), *body[first : first + count]]
        shown += self._more("↓", below, "below" + self._verdict_below(screen, first + count))
        self.console.file.write(CLEAR + "\n".join(top + shown + bottom))
        self.console.file.flush()

    def _bottom(self, screen: WatchScreen, scrolls: bool) -> list[str]:
        """The message and the keys (with the scrolling keys when the middle scrolls)."""
        keys = replace(screen, keys=(*screen.keys, ("↑↓", "scroll"))) if scrolls else screen
        status = render.checking(self.marks) if screen.checking else None
        return [
            *self._lines(status),
            *self._lines(render.message(screen)),
            *self._lines(render.keys_line(keys, self.marks)),
        ]

    def _verdict_below(self, screen: WatchScreen, end: int) -> str:
        """The last verdict's status, when the verdict is below what is shown."""
        result = screen.outcome.result if screen.outcome else None
        if result is None or self.sections["verdict"] < end - 1:
            return ""
        return f" (verdict: {result.status.upper()})"

    def _more(self, arrow: str, hidden: int, where: str) -> list[str]:
        if hidden <= 0:
            return []
        mark = Text(f"{arrow} {hidden} more lines {where}", style="dim", no_wrap=True)
        return self._lines(mark)  # one line, cut at the edge: the room was counted so

    def key(self, key: str) -> bool:
        if key not in SCROLL_KEYS or self.last is None:
            return False
        page = max(1, self.size.height - 6)
        steps = {"up": -1, "down": 1, "pageup": -page, "pagedown": page}
        self.offset = {"home": 0, "end": 1 << 30}.get(key, self.offset + steps.get(key, 0))
        self.draw(self.last)
        return True

    def tick(self) -> None:
        if self.last is not None and self.console.size != self.size:
            self.draw(self.last)

    def choose_drill(self, rows: list[DrillStatus], current: str) -> str | None:
        from normquiz.cli.drill_picker import pick_drill

        self.console.file.write(CLEAR)
        self.console.file.flush()
        return pick_drill(rows, current, self.console.size.height)

    def close(self) -> None:
        self.console.file.write("\n")


def _anchor(previous: WatchScreen | None, screen: WatchScreen) -> str | None:
    """The section to scroll to: the one that just changed, if any."""
    if previous is None or previous.task != screen.task:
        return "prompt"
    if screen.solution is not None and screen.solution != previous.solution:
        return "solution"
    if screen.hints and screen.hints != previous.hints:
        return "hints"
    if _verdict_changed(previous, screen) and previous.outcome is not None:
        return "verdict"  # not the first check of a drill: its prompt is being read
    return None


def _verdict_changed(last: WatchScreen | None, screen: WatchScreen) -> bool:
    """A check started ("checking..." is due), or one ended (its verdict is)."""
    if screen.checking:
        return last is None or not last.checking
    if screen.outcome is None:
        return False
    return last is None or last.checking or last.outcome is not screen.outcome


class LineView:
    """Plain lines, only what changed since the last screen; no escape codes at all."""

    def __init__(self, keys: KeyReader, console: Console | None = None) -> None:
        self.keys = keys
        self.console = console or Console(
            highlight=False, emoji=False, markup=False, no_color=True, force_terminal=False
        )
        self.unicode = unicode_ok()
        self.marks = render.Marks.of(self.unicode)
        self.last: WatchScreen | None = None

    def _print(self, renderable: RenderableType | None) -> None:
        for line in render_lines(self.console, renderable, self.unicode):
            self.console.file.write(line + "\n")

    def draw(self, screen: WatchScreen) -> None:
        last, self.last = self.last, screen
        printed = last is None or last.task != screen.task
        if printed:
            self._print_task(screen)
        if _verdict_changed(last, screen):
            checking = render.checking(self.marks)
            self._print(checking if screen.checking else render.verdict(screen, self.marks))
            printed = printed or not screen.checking  # the keys after a verdict, not before
        if screen.hints and (last is None or last.hints != screen.hints):
            self._print(render.hints(screen))
            printed = True
        if screen.solution and (last is None or last.solution != screen.solution):
            self._print(render.solution(screen.solution))
            printed = True
        if screen.message and (printed or last is None or last.message != screen.message):
            self._print(render.message(screen))
        if printed:
            keys = replace(screen, keys=(*screen.keys, ("p", "the task again")))
            self._print(render.keys_line(keys, self.marks))
        self.console.file.flush()

    def _print_task(self, screen: WatchScreen) -> None:
        self._print(render.rule(self.marks))
        self._print(render.header(screen))
        self._print(render.task_lines(screen))
        self._print(Text(""))
        self._print(render.prompt(screen))
        self._print(render.rule(self.marks))

    def key(self, key: str) -> bool:
        if key != "p" or self.last is None:
            return False
        self._print_task(self.last)
        self.console.file.flush()
        return True

    def tick(self) -> None:
        return None

    def choose_drill(self, rows: list[DrillStatus], current: str) -> str | None:
        from normquiz.cli.drill_picker import pick_drill_by_line

        return pick_drill_by_line(rows, current, self.keys, self._print)

    def close(self) -> None:
        return None
