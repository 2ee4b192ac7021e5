"""normquiz show: one question with its answer, or one drill with its status."""

from __future__ import annotations

from pathlib import Path

import click

from normquiz.cli import summary
from normquiz.cli.options import ITEM_ID, bank_option, json_option, print_json, warn_bad_files


@click.command(short_help=summary("show"))
@click.argument("item_id", metavar="ID", type=ITEM_ID)
@bank_option
@json_option
def show(item_id: str, banks: tuple[Path, ...], as_json: bool) -> None:
    """Show ID: a question with its answer (every choice with its feedback), the
    explanation, the myth it corrects, references, the proof snippet, related items and your
    history of it; or a drill's prompt, status, hints revealed and the commands to work on it.

    The ids are in the feedback after each answer, the summary's missed list and
    `normquiz list`.

    \b
    Examples:
      normquiz show bn-momentum-rule
      normquiz show bn-forward
      normquiz show bn-momentum-rule --json
    """
    from normquiz.bank.loader import load_bank
    from normquiz.progress.store import ProgressStore
    from normquiz.quiz.showing import show_item

    bank = load_bank(banks)
    warn_bad_files(bank.problems_by_file())
    with ProgressStore.open() as store:
        view = show_item(bank, item_id, store)
    if as_json:
        print_json(view.to_json())
    else:
        from normquiz.cli.prose import echo_fragments

        echo_fragments(view.fragments())  # plain text when piped or with TERM=dumb
