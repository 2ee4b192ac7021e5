"""Text bars that read correctly without colour and without Unicode."""

from __future__ import annotations

import sys
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
