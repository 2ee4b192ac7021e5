"""What a drill asks for, as watch shows it: title, prompt, the signature to write, the file."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from normquiz.bank.drill_schema import Drill
from normquiz.bank.loader import Bank
from normquiz.drills.workspace import starter_path


@dataclass(frozen=True)
class DrillTask:
    """One drill's task: ``signature`` is the code the learner's file must define."""

    id: str
    title: str
    prompt: str  # Markdown
    signature: str  # one line for a function; a class line and its methods for a class
    path: Path


def drill_task(bank: Bank, drill: Drill, path: Path) -> DrillTask:
    return DrillTask(drill.id, drill.title, drill.prompt, signature(bank, drill), path)


def signature(bank: Bank, drill: Drill) -> str:
    """The definition of ``drill.function`` as its starter writes it (header lines only);
    the manifest's name alone when the starter cannot be read or does not define it."""
    try:
        source = starter_path(bank, drill).read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        source, tree = "", ast.Module(body=[], type_ignores=[])
    lines = source.splitlines()
    for node in tree.body:
        if isinstance(node, Definition) and node.name == drill.function:
            return "\n".join([_header(node, lines), *_methods(node, lines)])
    return f"{drill.function}  (the name your file must define)"


Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _header(node: Definition, lines: list[str]) -> str:
    """The definition's header as written (defaults such as 1e-5 kept), on one line."""
    text = " ".join("\n".join(lines[node.lineno - 1 : node.body[0].lineno - 1]).split())
    if text.endswith(":"):
        return text[:-1]
    if isinstance(node, ast.ClassDef):  # a one-line class, or a comment after the colon
        return f"class {node.name}"
    return f"def {node.name}({ast.unparse(node.args)})"


def _methods(node: Definition, lines: list[str]) -> list[str]:
    if not isinstance(node, ast.ClassDef):
        return []
    methods = (m for m in node.body if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef))
    return ["    " + _header(method, lines) for method in methods]
