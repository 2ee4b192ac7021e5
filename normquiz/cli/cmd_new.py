"""normquiz new: start a bank item (a question or a declared drill) from a commented template."""

from __future__ import annotations

import os
from pathlib import Path

import click

from normquiz.cli import summary
from normquiz.cli.options import json_option, print_json

QUESTION_TYPES = ("single", "multi", "true_false", "numeric", "short")


@click.group(short_help=summary("new"), invoke_without_command=True)
@click.pass_context
def new(ctx: click.Context) -> None:
    """Start a bank item from a commented template that already passes lint.

    \b
    Examples:
      normquiz new question --type numeric --topic bn --bank ~/my-questions
      normquiz new drill batch-renorm --bank ~/my-bank
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@new.command("question", short_help="Append a question template to DIR/TOPIC.yaml.")
@click.option(
    "--type",
    "question_type",
    type=click.Choice(QUESTION_TYPES),
    required=True,
    help="The question type.",
)
@click.option("--topic", required=True, help="The topic; the question goes to TOPIC.yaml.")
@click.option(
    "--bank",
    "bank",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Your bank directory (default: the first $NORMQUIZ_BANK entry, else the current "
    "directory).",
)
@click.option("--id", "item_id", help="The question's id (default: TOPIC-TYPE, numbered).")
@json_option
def question(
    question_type: str, topic: str, bank: Path | None, item_id: str | None, as_json: bool
) -> None:
    """Append a commented question template to DIR/TOPIC.yaml (created with its header if
    missing) and print FILE:LINE of the new question.

    Replace every text starting with TODO:, then check your bank with
    `normquiz lint --no-bundled --bank DIR`.

    \b
    Examples:
      normquiz new question --type single --topic bn --bank ~/my-questions
      normquiz new question --type short --topic ln --bank ~/my-questions --id ln-why-not-bn
    """
    from normquiz.authoring.scaffold import new_question

    made = new_question(bank or _default_bank(), question_type, topic, item_id)
    if as_json:
        print_json(
            {"file": str(made.file), "line": made.line, "id": made.item_id, "created": made.created}
        )
        return
    click.echo(
        f"{made}: added {question_type} question {made.item_id!r}"
        + (" (new file)" if made.created else "")
    )


def _default_bank() -> Path:
    from normquiz.paths import env_bank_dirs

    dirs = env_bank_dirs()
    return dirs[0] if dirs else Path(os.curdir)


@new.command(short_help="A drill folder and its manifest entry, passing lint --exec.")
@click.argument("drill_id", metavar="ID")
@click.option(
    "--bank",
    "bank",
    metavar="DIR",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The bank directory (created if missing); the entry goes into DIR/drills.yaml.",
)
@click.option("--topic", default="custom", show_default=True, help="The drill's topic slug.")
@json_option
def drill(drill_id: str, bank: Path, topic: str, as_json: bool) -> None:
    """Create DIR/ID/ (reference.py, starter.py, solution.py, mistakes/row-mean.py) and
    append the drill's entry to DIR/drills.yaml.

    The example drill (centering columns) passes `normquiz lint --exec` as written; replace
    it with your own computation, keeping the starter failing.

    \b
    Examples:
      normquiz new drill mean-center --bank ~/my-bank
      normquiz new drill batch-renorm --bank ~/my-bank --topic bn --json
    """
    from normquiz.authoring.scaffold_drill import new_drill

    made = new_drill(bank, drill_id, topic)
    if as_json:
        print_json({"manifest": str(made.manifest), "files": [str(p) for p in made.files]})
        return
    click.echo(f"added drill {drill_id} to {made.manifest}")
    for path in made.files:
        click.echo(f"  created {path}")
    click.echo(f"prove it: normquiz lint --exec --no-bundled --bank {bank}")
