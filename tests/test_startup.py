"""Fast start: help, list and lint never import torch or numpy; every command has --help."""

from __future__ import annotations

import pytest

from conftest import run_normquiz
from normquiz.cli import COMMANDS

HEAVY = {"torch", "numpy"}


def imported_modules(*args: str) -> set[str]:
    """Top-level packages imported by `python -X importtime -m normquiz ARGS`."""
    result = run_normquiz(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode in (0, 1), result.stderr
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "normquiz" in modules  # the probe itself works
    return modules


@pytest.mark.parametrize(
    "args", [("--help",), ("list",), ("list", "--json"), ("lint",), ("lint", "--json")]
)
def test_light_commands_never_import_torch_or_numpy(args: tuple[str, ...]) -> None:
    assert not HEAVY & imported_modules(*args)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_has_help_without_heavy_imports(name: str) -> None:
    result = run_normquiz(name, "--help")
    assert result.returncode == 0, result.stderr
    assert f"Usage: normquiz {name}" in result.stdout and "Example" in result.stdout
    assert not HEAVY & imported_modules(name, "--help")


def test_version() -> None:
    result = run_normquiz("--version")
    assert result.returncode == 0 and "normquiz, version" in result.stdout
