"""The reference solution of a drill, whole or as a unified diff against the learner's file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.exceptions import NormquizError

SolutionKind = Literal["diff", "solution"]


@dataclass(frozen=True)
class SolutionView:
    """What watch shows on request after a pass: a title and code lines."""

    kind: SolutionKind
    title: str
    lines: tuple[str, ...]


def solution_view(bank: Bank, drill: Drill, path: Path, kind: SolutionKind) -> SolutionView:
    reference = _read(bank.drill_file(drill.id, drill.solution), f"{drill.id}'s solution")
    if kind == "solution":
        return SolutionView(kind, "The reference solution:", tuple(_strip(reference)))
    mine = _read(path, "your file")
    diff = difflib.unified_diff(mine, reference, f"your {path.name}", "the reference", n=2)
    lines = tuple(_strip(diff))
    if not lines:
        return SolutionView(kind, "Your file is the reference solution, line for line.", ())
    return SolutionView(kind, "Your file against the reference solution (- yours, + its):", lines)


def _strip(lines: Iterable[str]) -> list[str]:
    return [line.rstrip("\n") for line in lines]


def _read(path: Path, what: str) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise NormquizError(f"cannot read {what} {path}: {error.strerror}") from None
    return [line.rstrip("\n") + "\n" for line in text.splitlines()]
