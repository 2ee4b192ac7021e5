"""What makes a verify snippet weaker than a proof, read from its code (nothing runs here):
an ``answer`` assigned a literal instead of computed, or no torch at all."""

from __future__ import annotations

import ast

FIX = "compute it from what torch does, or mark the snippet `verify_kind: illustration`"


def weak_proof_problems(code: str) -> list[str]:
    """Why a snippet that compiles does not prove its answer (empty: it may)."""
    tree = ast.parse(code)
    found = [
        f"verify assigns `answer` a literal (snippet line {line}): {FIX}"
        for line in _literal_answers(tree)
    ]
    if not _uses_torch(tree):
        found.append(f"verify never uses torch: {FIX}")
    return found


def _literal_answers(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == "answer" for target in node.targets)
        and _is_literal(node.value)
    ]


def _is_literal(value: ast.expr) -> bool:
    if isinstance(value, ast.UnaryOp):
        return _is_literal(value.operand)
    return isinstance(value, ast.Constant)


def _uses_torch(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "torch" for a in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "torch":
            return True
    return False
