"""Text bars that read correctly without colour and without Unicode."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO


def unicode_ok(stream: TextIO | None = None) -> bool:
    """Whether the stream (default: stdout) can print Unicode marks."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or ""
    return encoding.lower().replace("-", "").startswith("utf")


def bar(fraction: float | None, width: int = 20, unicode: bool = True) -> str:
    """A bar of ``width`` cells, full for 1.0; characters carry the meaning, not colour."""
    full, empty = ("█", "░") if unicode else ("#", "-")
    filled = round(max(0.0, min(1.0, fraction or 0.0)) * width)
    return full * filled + empty * (width - filled)


def percent(fraction: float | None) -> str:
    return "-" if fraction is None else f"{round(100 * fraction)}%"


EIGHTHS = " ▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.:-=+*#"


def sparkline(fractions: Sequence[float], unicode: bool = True) -> str:
    """One character per value on an absolute scale (0 lowest, 1 highest)."""
    levels = EIGHTHS[1:] if unicode else ASCII_LEVELS
    top = len(levels) - 1
    return "".join(levels[round(max(0.0, min(1.0, f)) * top)] for f in fractions)


def columns(
    values: Sequence[float],
    top: float,
    height: int = 4,
    unicode: bool = True,
    width: int = 1,
    mark: float | None = None,
    gap: str = "",
) -> list[str]:
    """A column chart, rows top first: one column (``width`` characters, then ``gap``) per
    value, full height for ``top``; Unicode eighth blocks, or ``#`` for a cell at least half
    full. Empty cells of the row holding ``mark`` (a value) are dotted: a level to reach."""
    mark_row = None if mark is None else _mark_row(mark, top, height)
    rows = []
    for row in range(height - 1, -1, -1):
        cells = []
        for value in values:
            fill = max(0.0, min(1.0, (value / top if top > 0 else 0.0) * height - row))
            cell = EIGHTHS[round(fill * 8)] if unicode else ("#" if fill >= 0.5 else " ")
            if cell == " " and row == mark_row:
                cell = "·" if unicode else "."
            cells.append(cell * width + gap)
        rows.append("".join(cells))
    return rows


def column_chart(
    values: Sequence[float],
    top: float,
    y_labels: tuple[str, str],
    x_labels: tuple[str, str],
    *,
    height: int = 4,
    unicode: bool = True,
    width: int = 1,
    mark: tuple[float, str] | None = None,
    gap: str = "",
) -> list[str]:
    """``columns`` with a y axis labelled at its top and bottom rows, an x axis with a label
    under the first and the last column, and an optional ``mark`` (a value, its label)."""
    pad = max(len(label) for label in y_labels)
    axis, base, corner = ("│", "─", "└") if unicode else ("|", "-", "+")
    level = None if mark is None else mark[0]
    rows = columns(values, top, height, unicode, width, level, gap)
    lines = []
    for index, row in enumerate(rows):
        label = y_labels[0] if index == 0 else y_labels[1] if index == height - 1 else ""
        lines.append(f"{label:>{pad}} {axis}{row}")
    if mark is not None:
        lines[height - 1 - _mark_row(mark[0], top, height)] += f" {mark[1]}"
    span = len(values) * (width + len(gap))
    lines.append(" " * (pad + 1) + corner + base * span)
    first, last = x_labels
    room = span - len(first) - len(last)
    lines.append(" " * (pad + 2) + (first + " " * room + last if room >= 1 else first))
    return [line.rstrip() for line in lines]


def _mark_row(mark: float, top: float, height: int) -> int:
    """The row (0 at the bottom) whose cells span the value ``mark``."""
    return min(height - 1, int(mark / top * height)) if top > 0 else 0
