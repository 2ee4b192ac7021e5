"""Every exception normquiz defines lives in normquiz/exceptions.py, with its exit code."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import normquiz
from normquiz import exceptions

PACKAGE = Path(normquiz.__file__).parent


def test_no_exception_class_is_defined_outside_the_exceptions_module() -> None:
    """(The CLI's adapter to click, a click.ClickException subclass, is not one of ours.)"""
    elsewhere = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "exceptions.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(base) for base in node.bases]
            if any(
                base.endswith(("Error", "Exception", "BaseException", "Call"))
                and not base.startswith("click.")
                for base in bases
            ):
                elsewhere.append(f"{path.relative_to(PACKAGE)}: {node.name}")
    assert elsewhere == []


def test_every_user_facing_error_names_its_exit_code() -> None:
    errors = [
        cls
        for _, cls in inspect.getmembers(exceptions, inspect.isclass)
        if issubclass(cls, exceptions.NormquizError)
    ]
    assert len(errors) >= 6
    for cls in errors:
        assert cls.exit_code in (1, 2) and f"Exit code {cls.exit_code}" in (cls.__doc__ or "")
