"""The ``normquiz`` command: a click group whose subcommands load only when used.

``COMMANDS`` carries each command's one-line summary, so ``normquiz --help`` lists
them without importing a single command module.
"""

from __future__ import annotations

import importlib
import signal
import sys
from types import FrameType
from typing import NamedTuple

import click

from normquiz import __version__
from normquiz.exceptions import Interrupted, NormquizError, UsageError

NOTHING_RECORDED = "nothing was recorded"
NO_ANSWER = "no answer: the input ended before the question was answered"


class CommandEntry(NamedTuple):
    target: str  # "module:attribute" of the click command
    summary: str  # the line `normquiz --help` shows; the command's short_help too
    interrupted: str = NOTHING_RECORDED  # what an interruption leaves, for its one line


# The commands by section, in the order a learner uses them: `normquiz --help` lists them
# so (click would sort them), and shell completion offers them in this order.
SECTIONS: dict[str, dict[str, CommandEntry]] = {
    "Learn and review": {
        "quiz": CommandEntry(
            "normquiz.cli.cmd_quiz:quiz",
            "Answer theory questions (saved and scheduled).",
            "the answers you gave are saved",
        ),
        "review": CommandEntry(
            "normquiz.cli.cmd_review:review",
            "Spaced review: what is due, then new questions.",
            "the answers you gave are saved",
        ),
        "plan": CommandEntry(
            "normquiz.cli.cmd_plan:plan", "Keep your interview date: days left and a daily target."
        ),
        "stats": CommandEntry(
            "normquiz.cli.cmd_stats:stats", "Readiness per topic; forecast for an interview date."
        ),
        "show": CommandEntry(
            "normquiz.cli.cmd_show:show", "Show one question with its answer, or one drill."
        ),
    },
    "Coding drills": {
        "drill": CommandEntry(
            "normquiz.cli.cmd_drill:drill", "List drills, or start one in your workspace."
        ),
        "watch": CommandEntry(
            "normquiz.cli.cmd_watch:watch",
            "Re-check a drill every time you save it.",
            "checks that had finished are recorded, the one under way is not",
        ),
        "check": CommandEntry(
            "normquiz.cli.cmd_check:check", "Grade a drill file against PyTorch."
        ),
        "hint": CommandEntry("normquiz.cli.cmd_drill:hint", "Reveal the next hint of a drill."),
        "solution": CommandEntry(
            "normquiz.cli.cmd_drill:solution",
            "Show a drill's reference solution once you passed it.",
        ),
        "reset": CommandEntry(
            "normquiz.cli.cmd_drill:reset", "Put a drill's starter back (your file is backed up)."
        ),
    },
    "Reference and authoring": {
        "explain": CommandEntry(
            "normquiz.cli.cmd_explain:explain",
            "Show what bn, ln, in, gn or rms normalizes together.",
        ),
        "list": CommandEntry(
            "normquiz.cli.cmd_list:list_items", "List the questions and drills in the bank."
        ),
        "lint": CommandEntry(
            "normquiz.cli.cmd_lint:lint", "Check the bank; --exec runs every proof and drill file."
        ),
        "new": CommandEntry(
            "normquiz.cli.cmd_new:new", "Start a question or a drill: a template in your bank."
        ),
        "schema": CommandEntry(
            "normquiz.cli.cmd_schema:schema", "Print the JSON Schema of bank files, for editors."
        ),
        "export": CommandEntry(
            "normquiz.cli.cmd_export:export", "Export the bank to Anki (.apkg) or Markdown sheets."
        ),
    },
}

# Every command, in that order (a new command: its line in one of the SECTIONS).
COMMANDS: dict[str, CommandEntry] = {
    name: entry for section in SECTIONS.values() for name, entry in section.items()
}


def summary(name: str) -> str:
    """The one-line summary of a command, for its ``short_help``."""
    return COMMANDS[name].summary


class LazyGroup(click.Group):
    """click's documented lazy-loading group, plus one place to turn errors into exits."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attribute = entry.target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """click's, with "Did you mean ...?" drawn from every command (click's own
        suggestions come from the commands it has loaded: none, here)."""
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as error:
            raise click.NoSuchCommand(error.command_name, possibilities=COMMANDS, ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table, by section: no command module is imported."""
        width = max(map(len, COMMANDS))  # one column for every section
        for heading, section in SECTIONS.items():
            with formatter.section(heading):
                formatter.write_dl([(name.ljust(width), e.summary) for name, e in section.items()])

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as error:  # click adds the usage line and the help hint
            raise click.UsageError(str(error), self._command_context(ctx)) from None
        except NormquizError as error:  # one line on stderr, the exit code of its class
            raise _failure(error) from None
        except (KeyboardInterrupt, Interrupted) as error:  # workers were closed on the way out
            raise _interrupted(ctx.invoked_subcommand or "normquiz", error) from None
        except click.Abort as error:  # a question (click.confirm) got Ctrl-C or no input
            raise _unanswered(ctx.invoked_subcommand or "normquiz", error) from None

    def _command_context(self, ctx: click.Context) -> click.Context:
        """The context of the subcommand that ran (its usage line and help hint, not the
        group's); click has closed the real one by the time its error arrives here."""
        name = ctx.invoked_subcommand
        command = self.get_command(ctx, name) if name else None
        return click.Context(command, info_name=name, parent=ctx) if command else ctx


def _failure(error: NormquizError) -> click.ClickException:
    """click's one-line "Error: ..." with the exit code the error's class names."""

    class Failure(click.ClickException):
        exit_code = error.exit_code

    return Failure(str(error))


def _unanswered(command: str, error: click.Abort) -> click.ClickException:
    """Ctrl-C at a question is an interruption; input that ended is one error line."""
    click.echo()  # ends the question's line
    if isinstance(error.__context__, KeyboardInterrupt):
        return _interrupted(command, error.__context__)
    return _failure(NormquizError(NO_ANSWER))


class InterruptedExit(click.ClickException):
    """One plain line (no "Error:"), exit 128 + the signal's number."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum  # type: ignore[misc]

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True)


def _interrupted(command: str, error: BaseException) -> click.ClickException:
    signum = error.signum if isinstance(error, Interrupted) else signal.SIGINT
    entry = COMMANDS.get(command)
    left = entry.interrupted if entry else NOTHING_RECORDED
    return InterruptedExit(f"{command} interrupted; {left}", signum)


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _exit_quietly(error: BaseException) -> None:
    """An interruption before or after a command ran: no traceback, the signal's code."""
    signum = error.signum if isinstance(error, Interrupted) else signal.SIGINT
    sys.exit(128 + signum)


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
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_interrupted)
    try:
        cli(prog_name="normquiz")
    except (KeyboardInterrupt, Interrupted) as error:
        _exit_quietly(error)
