"""Checks made on the learner's file before any process starts: syntax and banned calls."""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeGuard


@dataclass(frozen=True)
class StaticFinding:
    line: int
    column: int
    message: str
    banned: str | None = None  # the dotted name, for banned-api findings


TOO_DEEP = (
    "the file is nested too deeply for Python to compile (an expression of many thousands "
    "of terms?)"
)


def syntax_error(source: str, filename: str) -> StaticFinding | None:
    try:
        compile(source, filename, "exec")
    except SyntaxError as error:
        return StaticFinding(error.lineno or 1, error.offset or 1, f"SyntaxError: {error.msg}")
    except ValueError as error:  # null bytes
        return StaticFinding(1, 1, f"SyntaxError: {error}")
    except (RecursionError, MemoryError):
        return StaticFinding(1, 1, TOO_DEEP)
    return None


def banned_calls(source: str, banned: Iterable[str]) -> list[StaticFinding]:
    """Uses of banned dotted names, following import aliases (import torch.nn.functional as
    F), and calls of banned method names (``.var`` bans ``x.var(0)``)."""
    try:
        return _banned_calls(ast.parse(source), set(banned))
    except (RecursionError, MemoryError):
        return []  # syntax_error reported it first; the run-time guards still hold


def _banned_calls(tree: ast.Module, banned_set: set[str]) -> list[StaticFinding]:
    own = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    methods = {name[1:] for name in banned_set if name.startswith(".")} - own  # w.var() of yours
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
        elif _calls_method(node, methods) and not _names_banned(node, aliases, banned_set):
            found.append(_method_finding(node))
    return sorted(set(found), key=lambda f: (f.line, f.column))


def _names_banned(node: ast.Call, aliases: dict[str, str], banned: set[str]) -> bool:
    """The call's function is a banned dotted name (``np.cov``), reported as such."""
    dotted = _dotted(node.func, aliases)
    return dotted is not None and _is_banned(dotted, banned)


def _calls_method(node: ast.AST, methods: set[str]) -> TypeGuard[ast.Call]:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in methods
    )


def _method_finding(node: ast.Call) -> StaticFinding:
    name = f".{node.func.attr}()" if isinstance(node.func, ast.Attribute) else "a method"
    return StaticFinding(
        node.lineno, node.col_offset + 1, f"calls {name}, which this drill bans", banned=name
    )


def _is_banned(name: str, banned: set[str]) -> bool:
    """The name itself, anything inside a banned module or class, or a name matching a
    pattern (``torch._refs.*layer_norm*``)."""
    return (
        name in banned
        or any(name.startswith(b + ".") for b in banned)
        or any("*" in b and fnmatch.fnmatchcase(name, b) for b in banned)
    )


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
