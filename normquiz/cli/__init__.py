"""The ``normquiz`` command: a click group whose subcommands load only when used."""

from __future__ import annotations

import importlib
import sys

import click

from normquiz import __version__
from normquiz.exceptions import NormquizError, UsageError

# name -> "module:attribute"; each module only parses, calls the library and prints.
SUBCOMMANDS = {
    "check": "normquiz.cli.cmd_check:check",
    "drill": "normquiz.cli.cmd_drill:drill",
    "explain": "normquiz.cli.cmd_explain:explain",
    "hint": "normquiz.cli.cmd_drill:hint",
    "reset": "normquiz.cli.cmd_drill:reset",
    "solution": "normquiz.cli.cmd_drill:solution",
    "lint": "normquiz.cli.cmd_lint:lint",
    "list": "normquiz.cli.cmd_list:list_items",
    "quiz": "normquiz.cli.cmd_quiz:quiz",
    "review": "normquiz.cli.cmd_review:review",
    "stats": "normquiz.cli.cmd_stats:stats",
    "watch": "normquiz.cli.cmd_watch:watch",
}


class LazyGroup(click.Group):
    """click's documented lazy-loading group, plus one place to turn errors into exits."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise click.UsageError(str(error), ctx) from None
        except NormquizError as error:
            raise click.ClickException(str(error)) from None


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@click.version_option(__version__, prog_name="normquiz")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Interview preparation for normalization layers (BatchNorm, LayerNorm, GroupNorm,
    InstanceNorm, RMSNorm): theory questions, graded coding drills, spaced review.

    Run without a command in a terminal for a dashboard of your progress.
    """
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from normquiz.cli.dashboard import show_dashboard

            show_dashboard()
        else:
            click.echo(ctx.get_help())


def main() -> None:
    cli(prog_name="normquiz")
