"""Styled text as (style, text) fragments, laid out for a terminal by rich: prose is
word-wrapped (never mid-word) with one hanging-indent rule, code is never reflowed (Markdown
is parsed in ``normquiz.quiz.markdown``).

The hanging-indent rule: a line's continuation lines start under the first character after
its leading spaces and list marks (``a)``, ``-``, ``1.``, ``[x]``, ``>``), so choices,
feedback, rubric points and list items all wrap the same way. A code line longer than the
width is cut, and goes on in the next line after a visible mark (``fold_code``).

The terminal UI styles fragments; plain mode prints their text. Marks are words and
characters, never colour alone."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from normquiz.quiz.markdown import CODE_BLOCK

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Fragments = list[tuple[str, str]]
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
# Leading spaces, then list marks, each followed by a space: "> [x] a) ", "  - ", "1. "
_MARKS = re.compile(r"^ *(?:(?:>|\[[ x+\-]\]|[a-z]\)|[-*+]|\d+[.)]) +)*")
MIN_WIDTH = 16  # narrower than this, text is left to the terminal
CODE_CUT = ("↩", "\\")  # the mark where a long code line is cut (Unicode, ASCII)


def reflow(text: str) -> str:
    """Join the lines of each Markdown paragraph; keep code blocks and list items as lines."""
    out: list[str] = []
    in_fence = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            out.append(line)
        elif in_fence or not stripped or line.startswith("    ") or _LIST_ITEM.match(line):
            out.append(line)
        elif (
            out
            and out[-1].strip()
            and not out[-1].strip().startswith("```")
            and not out[-1].startswith("    ")
        ):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def plain(fragments: Fragments) -> str:
    return "".join(text for _, text in fragments)


def lines_of(fragments: Fragments) -> list[Fragments]:
    """The fragments split at newlines (the newlines dropped); a last line without a
    newline is kept."""
    lines: list[Fragments] = [[]]
    for style, text in fragments:
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                lines[-1].append((style, part))
    if not lines[-1]:
        lines.pop()
    return lines


def join_lines(lines: list[Fragments]) -> Fragments:
    """Lines as fragments again, each newline in its line's last fragment."""
    out: Fragments = []
    for line in lines:
        if line:
            style, text = line[-1]
            out += [*line[:-1], (style, text + "\n")]
        else:
            out.append(("", "\n"))
    return out


def hanging_indent(text: str) -> int:
    """Where continuation lines of ``text`` start: after its leading spaces and marks."""
    match = _MARKS.match(text)
    return match.end() if match else 0


def wrap(fragments: Fragments, width: int) -> Fragments:
    """Word-wrap styled prose at ``width`` cells (rich's wrapping: never mid-word, unless
    a word is longer than a line); code lines are left whole (see ``fold_code``)."""
    if width < MIN_WIDTH:
        return fragments
    wrapped: list[Fragments] = []
    for line in lines_of(fragments):
        if _is_code(line) or _cells(plain(line)) <= width:
            wrapped.append(line)
        else:
            wrapped += _wrap_line(line, width)
    return _ending_like(join_lines(wrapped), fragments)


def fold_code(fragments: Fragments, width: int, unicode: bool = True) -> Fragments:
    """Cut each code line longer than ``width`` with a visible mark at the cut; the rest
    goes on in the next line, indented like the code (never reflowed)."""
    if width < MIN_WIDTH:
        return fragments
    mark = CODE_CUT[0] if unicode else CODE_CUT[1]
    out: list[Fragments] = []
    for line in lines_of(fragments):
        if not _is_code(line):
            out.append(line)
            continue
        text = plain(line)
        indent = " " * (len(text) - len(text.lstrip(" ")))
        while _cells(text) > width:
            head, text = _split_cells(text, width - 1)
            out.append([(CODE_BLOCK, head + mark)])
            text = indent + text
        out.append([(CODE_BLOCK, text)])
    return _ending_like(join_lines(out), fragments)


def fit(fragments: Fragments, width: int, unicode: bool = True) -> Fragments:
    """Fragments laid out for a terminal ``width`` cells wide: prose wrapped, code cut."""
    return fold_code(wrap(fragments, width), width, unicode)


def _is_code(line: Fragments) -> bool:
    return bool(line) and all(style == CODE_BLOCK for style, _ in line)


def _ending_like(out: Fragments, original: Fragments) -> Fragments:
    """Drop the last newline ``join_lines`` added when ``original`` had none."""
    if out and not plain(original).endswith("\n"):
        style, text = out.pop()
        if text[:-1]:
            out.append((style, text[:-1]))
    return out


def _wrap_line(line: Fragments, width: int) -> list[Fragments]:
    """One long line as wrapped lines, continuation lines under its hanging indent."""
    text = _rich_text(line)
    indent = hanging_indent(text.plain)
    if indent > width // 2:
        indent = len(text.plain) - len(text.plain.lstrip(" "))
    head, body = text[:indent], text[indent:]
    pieces = body.wrap(_console(), width - indent, overflow="fold")
    lines = []
    for number, piece in enumerate(pieces):
        piece.rstrip()
        prefix = _fragments(head) if number == 0 else [("", " " * indent)]
        lines.append([part for part in (*prefix, *_fragments(piece)) if part[1]])
    return lines


def _rich_text(line: Fragments) -> Text:
    from rich.text import Text

    text = Text(end="")
    for style, piece in line:
        text.append(piece, style or None)
    return text


def _fragments(text: Text) -> Fragments:
    """A rich Text (spans holding our style names) as fragments."""
    out: Fragments = []
    position = 0
    for span in sorted(text.spans, key=lambda span: span.start):
        if span.start > position:
            out.append(("", text.plain[position : span.start]))
        out.append((str(span.style), text.plain[span.start : span.end]))
        position = span.end
    if position < len(text.plain):
        out.append(("", text.plain[position:]))
    return [(style, piece) for style, piece in out if piece]


@lru_cache(maxsize=1)
def _console() -> Console:
    from rich.console import Console

    return Console(width=10_000, color_system=None)  # only for wrapping, never printed


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _split_cells(text: str, cells: int) -> tuple[str, str]:
    """``text`` cut after ``cells`` terminal cells (a wide character is never split)."""
    from rich.cells import cell_len

    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > cells:
            return text[:index], text[index:]
    return text, ""
