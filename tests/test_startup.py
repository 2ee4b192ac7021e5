"""Fast start: help, list and lint never import torch or numpy; `normquiz --help` imports no
command module; every command has --help."""

from __future__ import annotations

import subprocess

import pytest

from conftest import run_normquiz
from normquiz.cli import COMMANDS

HEAVY = {"torch", "numpy"}


def run_with_imports(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """The run of `python -m normquiz ARGS` and every module it imported (dotted names)."""
    result = run_normquiz(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode in (0, 1), result.stderr
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "normquiz.cli" in modules  # the probe itself works
    return result, modules


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    "args", [("--help",), ("list",), ("list", "--json"), ("lint",), ("lint", "--json")]
)
def test_light_commands_never_import_torch_or_numpy(args: tuple[str, ...]) -> None:
    _, modules = run_with_imports(*args)
    assert not HEAVY & top_level(modules)


def test_help_lists_every_command_without_importing_one() -> None:
    result, modules = run_with_imports("--help")
    assert not [m for m in modules if m.startswith("normquiz.cli.cmd_")]
    assert not [m for m in modules if m.split(".")[1:2] in (["bank"], ["quiz"], ["drills"])]
    for name, entry in COMMANDS.items():
        assert f"{name}  " in result.stdout and entry.summary in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_has_help_without_heavy_imports(name: str) -> None:
    result, modules = run_with_imports(name, "--help")
    assert result.returncode == 0, result.stderr
    assert f"Usage: normquiz {name}" in result.stdout and "Example" in result.stdout
    assert not HEAVY & top_level(modules)


def test_version() -> None:
    result = run_normquiz("--version")
    assert result.returncode == 0 and "normquiz, version" in result.stdout
