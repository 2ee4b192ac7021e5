"""Options and output helpers shared by the commands."""

from __future__ import annotations

import difflib
import json
import math
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from normquiz.drills.limits import MAX_TIMEOUT_S, MIN_TIMEOUT_S
from normquiz.exceptions import Problem

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import Console

    StrParamType = click.ParamType[str, Any]  # generic in click's stubs from 8.2 on
else:
    StrParamType = click.ParamType

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


# The question types of normquiz.bank.schema.QUESTION_TYPES (a test keeps them equal): named
# here so that --help imports no schema.
QUESTION_TYPE_NAMES = ("single", "multi", "true_false", "numeric", "short")


def _not_empty(param_type: StrParamType, value: str, param: Any, ctx: Any) -> str:
    if not value.strip():
        param_type.fail("empty string", param, ctx)
    return value.strip()


def _bank_of(ctx: click.Context) -> Any:
    """The bank a command line names (for completion: ``--bank`` directories as parsed)."""
    from normquiz.bank.loader import load_bank

    return load_bank(ctx.params.get("banks") or ())


def _completions(words: Iterable[str], incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(word) for word in sorted(set(words)) if word.startswith(incomplete)]


class TopicName(StrParamType):
    """A topic, in any case, or a layer's name (``BatchNorm``, ``layernorm``): the bank's
    topic id. Whether the bank has it is checked when the bank is loaded."""

    name = "topic"

    def convert(self, value: Any, param: Any, ctx: click.Context | None) -> str:
        from normquiz.explain import layer_key

        return layer_key(_not_empty(self, str(value), param, ctx))

    def shell_complete(
        self, ctx: click.Context, param: Any, incomplete: str
    ) -> list[CompletionItem]:
        bank = _bank_of(ctx)
        items = [*bank.questions, *bank.drills.values()]
        return _completions((item.topic for item in items), incomplete.lower())


class ItemType(StrParamType):
    """A question type (or ``drill`` where drills are listed), in any case."""

    name = "type"

    def __init__(self, with_drill: bool) -> None:
        self.choices = QUESTION_TYPE_NAMES + (("drill",) if with_drill else ())

    def convert(self, value: Any, param: Any, ctx: click.Context | None) -> str:
        word = _not_empty(self, str(value), param, ctx).lower().replace("-", "_")
        if word in self.choices:
            return word
        if word == "drill":
            self.fail("drills are not asked here; `normquiz drill` lists them", param, ctx)
        close = difflib.get_close_matches(word, self.choices, n=2)
        maybe = f"; did you mean {', '.join(close)}?" if close else ""
        self.fail(f"unknown type {value!r}{maybe} (types: {', '.join(self.choices)})", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: Any, incomplete: str
    ) -> list[CompletionItem]:
        return _completions(self.choices, incomplete)


class BankWord(StrParamType):
    """An id or tag of the bank: a drill id, a question id, either (``id``) or a tag;
    completes from the bank. Whether it exists is checked by the command (with the closest)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.name = kind if kind in ("id", "tag") else f"{kind} id"

    def convert(self, value: Any, param: Any, ctx: click.Context | None) -> str:
        return _not_empty(self, str(value), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: Any, incomplete: str
    ) -> list[CompletionItem]:
        bank = _bank_of(ctx)
        words: dict[str, Iterable[str]] = {
            "drill": bank.drills,
            "question": bank.by_id,
            "id": [*bank.drills, *bank.by_id],
            "tag": (tag for item in [*bank.questions, *bank.drills.values()] for tag in item.tags),
        }
        return _completions(words[self.kind], incomplete)


DRILL_ID = BankWord("drill")
QUESTION_ID = BankWord("question")
ITEM_ID = BankWord("id")


def filter_options(*, with_drill: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--topic/--tag/--type, each repeatable; items must match every kind given. With
    ``with_drill``, ``--type drill`` selects the drills."""
    types = ", ".join(ItemType(with_drill).choices)

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--type",
            "types",
            multiple=True,
            metavar="T",
            type=ItemType(with_drill),
            help=f"Only this type: {types} (repeatable).",
        )(command)
        command = click.option(
            "--tag",
            "tags",
            multiple=True,
            metavar="T",
            type=BankWord("tag"),
            help="Only items with this tag, e.g. brief:S06 (repeatable).",
        )(command)
        return click.option(
            "--topic",
            "topics",
            multiple=True,
            metavar="T",
            type=TopicName(),
            help="Only this topic: bn, ln, gn, in, rms, fusion, general, ... (any case; "
            "layer names such as BatchNorm too; repeatable).",
        )(command)

    return decorate


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
    """click.style, except that NO_COLOR (any non-empty value) or TERM=dumb turns it off."""
    plain = os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb"
    return text if plain else click.style(text, **styles)
