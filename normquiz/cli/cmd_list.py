"""normquiz list: the bank as a table or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from normquiz.cli.options import (bank_option, filter_options, json_option, print_json,
                                  stdout_console, warn_bad_files)


@click.command("list", short_help="List the questions and drills in the bank.")
@filter_options
@bank_option
@json_option
def list_items(topics: tuple[str, ...], tags: tuple[str, ...], types: tuple[str, ...],
               banks: tuple[Path, ...], as_json: bool) -> None:
    """List the questions (and drills) in the bank.

    \b
    Examples:
      normquiz list --topic bn --type numeric
      normquiz list --tag brief:S06 --json
    """
    from normquiz.bank.loader import load_bank
    from normquiz.bank.query import select, summary_row

    bank = load_bank(banks)
    warn_bad_files(bank.problems_by_file())
    items = [*bank.questions, *bank.drills.values()]
    rows = [summary_row(item) for item in select(items, topics, tags, types)]
    if as_json:
        print_json(rows)
    elif rows:
        _print_table(rows)
    else:
        click.echo("No items match.", err=True)


def _print_table(rows: list[dict]) -> None:
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "kind", "type", "topic", "difficulty"):
        table.add_column(column, no_wrap=True)
    table.add_column("tags", overflow="fold")
    for row in rows:
        table.add_row(row["id"], row["kind"], row["type"], row["topic"], str(row["difficulty"]),
                      " ".join(row["tags"]))
    stdout_console().print(table)
    click.echo(f"{len(rows)} item(s)")
