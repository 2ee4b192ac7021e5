"""normquiz export: the bank as an Anki package or as printable Markdown sheets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from normquiz.cli import summary
from normquiz.cli.options import bank_option, filter_options, json_option, print_json
from normquiz.exceptions import UsageError

if TYPE_CHECKING:
    from normquiz.authoring.export import CardSelection

DRILLS_NOTE = "drills: prompt on the front, reference solution on the back"


def _apkg(ctx: click.Context, param: click.Parameter, file: Path) -> Path:
    if file.suffix.lower() != ".apkg":
        message = f"{file} must end in .apkg (the package Anki imports)"
        raise click.BadParameter(message, ctx=ctx, param=param)
    return file


@click.group(short_help=summary("export"), invoke_without_command=True)
@click.pass_context
def export(ctx: click.Context) -> None:
    """Export the questions (and drills) to Anki or to Markdown study sheets.

    \b
    Examples:
      normquiz export anki normquiz.apkg
      normquiz export anki bn.apkg --topic bn
      normquiz export markdown sheets/
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@export.command(short_help="Write an Anki package (.apkg): one note per question and drill.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), callback=_apkg)
@filter_options(with_drill=True)
@bank_option
@json_option
def anki(
    file: Path,
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    types: tuple[str, ...],
    banks: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Write FILE (.apkg) for Anki: a note per question (front: the prompt and choices;
    back: the answer, why, the myth corrected, references) and per drill (its prompt; the
    reference solution), in the deck normquiz, a subdeck per topic (normquiz::bn). Tags:
    topic:T, type:T and the item's tags. Import it again after an update: the notes keep
    their ids, so Anki updates them (your review history stays).

    \b
    Examples:
      normquiz export anki normquiz.apkg
      normquiz export anki bn.apkg --topic bn --type single --type multi
      normquiz export anki brief.apkg --tag brief:S06 --json
    """
    from normquiz.authoring.export_anki import write_anki

    selection = _selection(banks, topics, tags, types)
    result = write_anki(selection, file)
    if as_json:
        print_json({**result.to_json(), "skipped": _skipped_json(selection)})
        return
    click.echo(
        f"Wrote {result.questions + result.drills} notes ({result.questions} questions, "
        f"{result.drills} drills) to {file}"
    )
    click.echo(f"decks: {', '.join(result.decks)}")
    click.echo(DRILLS_NOTE)
    click.echo("Import again after an update: notes are matched by id and updated.")
    _echo_skipped(selection)


@export.command(short_help="Write a Markdown study sheet per topic: DIR/TOPIC.md.")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@filter_options(with_drill=True)
@bank_option
@json_option
def markdown(
    directory: Path,
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    types: tuple[str, ...],
    banks: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Write DIR/TOPIC.md for each topic (DIR is made if missing; sheets are replaced):
    each question with its answer, why, the myth corrected and references; each drill
    with its prompt and reference solution.

    \b
    Examples:
      normquiz export markdown sheets/
      normquiz export markdown sheets/ --topic bn --topic ln
    """
    from normquiz.authoring.export_markdown import write_sheets

    selection = _selection(banks, topics, tags, types)
    result = write_sheets(selection, directory)
    if as_json:
        print_json({**result.to_json(), "skipped": _skipped_json(selection)})
        return
    for path, count in result.sheets:
        click.echo(f"{path}  ({count} items)")
    click.echo(f"Wrote {len(result.sheets)} sheet(s) to {directory}")
    _echo_skipped(selection)


def _selection(
    banks: tuple[Path, ...], topics: tuple[str, ...], tags: tuple[str, ...], types: tuple[str, ...]
) -> CardSelection:
    from normquiz.authoring.export import select_cards
    from normquiz.bank.loader import load_bank
    from normquiz.cli.options import warn_bad_files
    from normquiz.exceptions import NothingToAsk

    bank = load_bank(banks)
    warn_bad_files(bank.problems_by_file())
    try:
        selection = select_cards(bank, topics, tags, types)
    except UsageError as error:  # an unknown topic or tag: this subcommand's usage line
        raise click.UsageError(str(error), click.get_current_context()) from None
    if not selection.cards:
        raise NothingToAsk("no questions or drills match; nothing was written")
    return selection


def _skipped_json(selection: CardSelection) -> list[dict[str, str]]:
    return [{"id": item.id, "reason": item.reason} for item in selection.skipped]


def _echo_skipped(selection: CardSelection) -> None:
    for item in selection.skipped:
        click.echo(f"left out {item.id}: {item.reason}", err=True)
