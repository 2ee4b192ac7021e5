"""normquiz list: the bank as a table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import (
    bank_option,
    filter_options,
    json_option,
    no_bundled_option,
    print_json,
    stdout_console,
    warn_bad_files,
)

if TYPE_CHECKING:
    from normquiz.bank.query import ItemSummary


@click.command("list", short_help=summary("list"))
@filter_options(with_drill=True)
@bank_option
@no_bundled_option
@json_option
def list_items(
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    types: tuple[str, ...],
    banks: tuple[Path, ...],
    no_bundled: bool,
    as_json: bool,
) -> None:
    """List the questions (and drills) in the bank.

    \b
    Examples:
      normquiz list --topic bn --type numeric
      normquiz list --tag brief:S06 --json
      normquiz list --no-bundled --bank ~/my-questions
    """
    from normquiz.bank.loader import load_bank
    from normquiz.bank.query import ItemSummary, select

    bank = load_bank(banks, bundled=not no_bundled)
    warn_bad_files(bank.problems_by_file())
    items = [*bank.questions, *bank.drills.values()]
    rows = [ItemSummary.of(item) for item in select(items, topics, tags, types)]
    if as_json:
        print_json({"items": [row.to_json() for row in rows]})
    elif rows:
        _print_table(rows)
    else:
        click.echo("No items match.", err=True)


def _print_table(rows: list[ItemSummary]) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "kind", "type", "topic", "difficulty"):
        table.add_column(column, no_wrap=True)
    table.add_column("tags", overflow="fold")
    for row in rows:
        table.add_row(
            row.id, row.kind, row.type, row.topic, str(row.difficulty), " ".join(row.tags)
        )
    stdout_console().print(table)
    click.echo(f"{len(rows)} item(s)")
