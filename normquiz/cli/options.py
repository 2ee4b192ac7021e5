"""Options and output helpers shared by the commands."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from normquiz.drills.limits import MAX_TIMEOUT_S, MIN_TIMEOUT_S
from normquiz.exceptions import Problem

if TYPE_CHECKING:
    from rich.console import Console

bank_option = click.option(
    "--bank",
    "banks",
    multiple=True,
    metavar="DIR",
    type=click.Path(exists=True, path_type=Path),
    help="Also load questions from this directory or YAML file (repeatable; "
    "$NORMQUIZ_BANK adds more, separated by ':').",
)

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of text."
)

dir_option = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Workspace directory (default: $NORMQUIZ_HOME/workspace).",
)


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange refusing nan too (nan passes its range check: every comparison
    with nan is false)."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        number: float = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value} is not a number in the range {self._describe_range()}.", param, ctx)
        return number


timeout_option = click.option(
    "--timeout",
    type=FiniteFloatRange(min=MIN_TIMEOUT_S, max=MAX_TIMEOUT_S),
    default=10.0,
    show_default=True,
    help="Seconds for each check (your file's import and all cases).",
)

no_bundled_option = click.option(
    "--no-bundled",
    "no_bundled",
    is_flag=True,
    help="Leave out the bundled bank: only --bank directories and $NORMQUIZ_BANK.",
)

# Every --json output is one object carrying this version; a change that breaks a
# consumer (a key renamed or removed, a meaning changed) bumps it. See the README.
JSON_FORMAT = 1


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--topic/--tag/--type, each repeatable; items must match every kind given."""
    command = click.option(
        "--type",
        "types",
        multiple=True,
        metavar="T",
        help="Only this type: single, multi, true_false, numeric, short, or drill (repeatable).",
    )(command)
    command = click.option(
        "--tag",
        "tags",
        multiple=True,
        metavar="T",
        help="Only items with this tag, e.g. brief:S06 (repeatable).",
    )(command)
    command = click.option(
        "--topic",
        "topics",
        multiple=True,
        metavar="T",
        help="Only this topic: bn, ln, gn, in, rms, fusion, general, ... (repeatable).",
    )(command)
    return command


def print_json(data: dict[str, Any]) -> None:
    """Print one JSON object, with the output format version first."""
    click.echo(json.dumps({"format": JSON_FORMAT, **data}, indent=2, ensure_ascii=False))


def stdout_console() -> Console:
    """A rich console (imported lazily: rich is slow to import): colour only on a terminal,
    and never with NO_COLOR set."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def warn_bad_files(problems_by_file: dict[str, list[Problem]]) -> None:
    """One warning per bad file, on stderr; ``normquiz lint`` shows the rest."""
    for problems in problems_by_file.values():
        more = f"; {len(problems) - 1} more in this file" if len(problems) > 1 else ""
        click.echo(f"warning: {problems[0]} (skipped{more}; `normquiz lint` lists all)", err=True)
    sys.stderr.flush()


def style(text: str, **styles: Any) -> str:
    """click.style, except that NO_COLOR (any non-empty value) turns styling off."""
    return text if os.environ.get("NO_COLOR") else click.style(text, **styles)
