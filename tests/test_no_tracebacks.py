"""Every command, driven with bad arguments in a real process, ends with one `Error:` line
and exit code 1 or 2: never a Python traceback.

The cases come from each command's own parameters (``normquiz.cli.COMMANDS``), so a new
command or option is covered without touching this file: an unknown option, a missing
argument, a missing option value, and per argument and option a bad value of its kind (an
unknown id, a bad file path, a bad date, a non-number, an empty string).
"""

from __future__ import annotations

from typing import NamedTuple

import click
import pytest

from conftest import REPO, run_normquiz
from normquiz.cli import COMMANDS, cli

# A value that works for each argument, to reach the arguments after it (check ID PATH).
VALID = {"drill_id": "bn-forward", "item_id": "bn-momentum-rule", "layer": "bn"}
MISSING_PATH = "/nonexistent/normquiz/no-such-file.py"


class Case(NamedTuple):
    id: str
    args: tuple[str, ...]


def bad_values(param: click.Parameter) -> list[tuple[str, str]]:
    """(what, value) pairs that the parameter must refuse cleanly."""
    kind = param.type
    if isinstance(kind, click.DateTime):
        return [("bad-date", "2024-13-45"), ("empty", "")]
    if isinstance(kind, click.Path):
        if not kind.file_okay:  # a directory is wanted: give it a file
            return [("file-not-dir", str(REPO / "README.md"))]
        return [("bad-path", MISSING_PATH)]
    if isinstance(kind, click.types._NumberRangeBase) and kind.min is not None:
        return [("not-a-number", "not-a-number"), ("out-of-range", str(kind.min - 1))]
    if isinstance(kind, (click.types._NumberParamTypeBase, click.Choice)):
        return [("bad-value", "not-a-number")]
    return [("unknown", "no-such-value-zz"), ("empty", "")]


def cases_for(name: str, command: click.Command) -> list[Case]:
    cases = [Case(f"{name}-unknown-option", (name, "--no-such-option"))]
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if any(p.required for p in arguments):
        cases.append(Case(f"{name}-missing-argument", (name,)))
    before: list[str] = []
    for argument in arguments:
        assert argument.name
        for what, value in bad_values(argument):
            cases.append(Case(f"{name}-{argument.name}-{what}", (name, *before, value)))
        if argument.name not in VALID:  # a new argument: say which value reaches the next
            break
        before.append(VALID[argument.name])
    options = [p for p in command.params if isinstance(p, click.Option) and not p.is_flag]
    for option in options:
        flag = max(option.opts, key=len)
        for what, value in bad_values(option):
            cases.append(Case(f"{name}-{flag.lstrip('-')}-{what}", (name, flag, value)))
    if options:
        cases.append(Case(f"{name}-option-without-value", (name, max(options[0].opts, key=len))))
    return cases


def all_cases() -> list[Case]:
    ctx = click.Context(cli)
    cases = []
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None, name
        cases.extend(cases_for(name, command))
    return cases


CASES = all_cases()


def test_every_command_is_driven() -> None:
    driven = {case.args[0] for case in CASES}
    assert driven == set(COMMANDS)
    assert len(CASES) >= 4 * len(COMMANDS)


def error_lines(stderr: str) -> list[str]:
    """What stderr says besides click's usage block (the usage line, its continuation and
    the help hint) and warnings about bank files."""
    skipped = ("Usage:", "Try '", " ", "warning:")
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith(skipped)]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_arguments_end_in_one_error_line(case: Case) -> None:
    result = run_normquiz(*case.args, input="")
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode in (1, 2), (result.returncode, result.stdout, result.stderr)
    [line] = error_lines(result.stderr)
    assert line.startswith("Error: ") and len(line) > len("Error: ")


def working_args(command: click.Command) -> tuple[str, ...]:
    """A value for each argument VALID knows (the optional ids too); none for the others."""
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    missing = [p.name for p in arguments if p.required and p.name not in VALID]
    assert not missing, f"add a working value for {missing} to VALID"
    return tuple(VALID[p.name] for p in arguments if p.name in VALID)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_data_directory_in_the_way_is_one_error_line(name: str) -> None:
    """NORMQUIZ_HOME naming a file: every command either works without it or says so."""
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    result = run_normquiz(
        name, *working_args(command), env={"NORMQUIZ_HOME": str(REPO / "README.md")}, input=""
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode in (0, 1, 2), result.stderr
    if result.returncode:
        [line] = error_lines(result.stderr)
        assert line.startswith("Error: ")


def test_no_editor_is_one_error_line() -> None:
    result = run_normquiz("drill", "bn-forward", "--edit", env={"VISUAL": "", "EDITOR": ""})
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 1 and error_lines(result.stderr) == [
        line for line in result.stderr.splitlines() if line.startswith("Error: ")
    ]
