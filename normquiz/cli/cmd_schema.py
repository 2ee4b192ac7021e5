"""normquiz schema: the JSON Schema of bank files, for editor completion and checking."""

from __future__ import annotations

import click

from normquiz.cli import summary


@click.command(short_help=summary("schema"))
@click.argument("kind", type=click.Choice(["questions", "drills"]), default="questions")
def schema(kind: str) -> None:
    """Print the JSON Schema of a question file (KIND questions, the default) or of a
    drill manifest (KIND drills), generated from the models the loader validates with.

    Point your editor's YAML language server (VS Code's YAML extension, Neovim's
    yamlls) at it with a first line such as:

    \b
      # yaml-language-server: $schema=/home/you/.normquiz-questions.schema.json

    \b
    Examples:
      normquiz schema questions > ~/.normquiz-questions.schema.json
      normquiz schema drills > ~/.normquiz-drills.schema.json
    """
    from normquiz.bank.file_schema import schema_text

    click.echo(schema_text("drills" if kind == "drills" else "questions"), nl=False)
