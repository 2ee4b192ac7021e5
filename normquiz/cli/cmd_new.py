"""normquiz new: start a new drill in your own bank."""

from __future__ import annotations

from pathlib import Path

import click

from normquiz.cli import summary
from normquiz.cli.options import json_option, print_json


@click.group(short_help=summary("new"), no_args_is_help=False)
def new() -> None:
    """Create a valid, commented starting point in your own bank.

    \b
    Examples:
      normquiz new drill batch-renorm --bank ~/my-bank
      normquiz lint --exec --no-bundled --bank ~/my-bank
    """


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
    from normquiz.authoring.scaffold import new_drill

    made = new_drill(bank, drill_id, topic)
    if as_json:
        print_json({"manifest": str(made.manifest), "files": [str(p) for p in made.files]})
        return
    click.echo(f"added drill {drill_id} to {made.manifest}")
    for path in made.files:
        click.echo(f"  created {path}")
    click.echo(f"prove it: normquiz lint --exec --no-bundled --bank {bank}")
