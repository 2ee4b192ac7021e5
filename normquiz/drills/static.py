"""Checks made on the learner's file before any process starts: syntax and banned calls."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class StaticFinding:
    line: int
    column: int
    message: str
    banned: str | None = None  # the dotted name, for banned-api findings


def syntax_error(source: str, filename: str) -> StaticFinding | None:
    try:
        compile(source, filename, "exec")
    except SyntaxError as error:
        return StaticFinding(error.lineno or 1, error.offset or 1, f"SyntaxError: {error.msg}")
    except ValueError as error:  # null bytes
        return StaticFinding(1, 1, f"SyntaxError: {error}")
    return None


def banned_calls(source: str, banned: Iterable[str]) -> list[StaticFinding]:
    """Uses of banned dotted names, following import aliases (import torch.nn.functional as F)."""
    banned_set = set(banned)
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    found: list[StaticFinding] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                aliases[alias.asname or root] = alias.name if alias.asname else root
                if _is_banned(
                    alias.name, banned_set
                ):  # a banned module, e.g. torch.nn.utils.fusion
                    found.append(_finding(node, alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                aliases[alias.asname or alias.name] = full
                if _is_banned(full, banned_set):
                    found.append(_finding(node, full))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node, aliases)
            if dotted and _is_banned(dotted, banned_set):
                found.append(_finding(node, dotted))
    return sorted(set(found), key=lambda f: (f.line, f.column))


def _is_banned(name: str, banned: set[str]) -> bool:
    """The name itself, or anything inside a banned module or class."""
    return name in banned or any(name.startswith(b + ".") for b in banned)


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    current = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    parts.append(aliases.get(current.id, current.id))
    return ".".join(reversed(parts))


def _finding(node: ast.stmt | ast.expr, name: str) -> StaticFinding:
    return StaticFinding(
        node.lineno, node.col_offset + 1, f"uses {name}, which this drill bans", banned=name
    )
