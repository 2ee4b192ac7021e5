"""Printing prose and tables laid out by rich: word-wrapped to the terminal (never
mid-word), hanging indents under labels, tables that drop their bars or split their
columns rather than cut a number.

Escape codes (colour, bold) go only to a terminal that takes them: not when the output is
piped, not with ``NO_COLOR`` set, not with ``TERM=dumb``. Piped output is not wrapped
(unless ``COLUMNS`` is set) and carries no trailing spaces. rich is imported lazily.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, TextIO

import click

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

    from normquiz.quiz.layout import Fragments

UNWRAPPED = 10_000  # the width of piped output: no wrapping
COLUMN_GAP = 2  # spaces between table columns
NARROW = 60  # a terminal narrower than this gets numbers, no bars or charts


def dumb_terminal() -> bool:
    """TERM=dumb: a terminal that takes no escape codes at all."""
    return os.environ.get("TERM", "").strip().lower() == "dumb"


def styled_ok(stream: IO[str] | None = None) -> bool:
    """Whether colour and bold may be written to ``stream`` (default stdout)."""
    stream = stream or sys.stdout
    return stream.isatty() and not dumb_terminal() and not os.environ.get("NO_COLOR")


def interactive(stream: TextIO | None = None) -> bool:
    """Whether ``stream`` is a terminal that takes escape codes (a full-screen UI)."""
    return (stream or sys.stdout).isatty() and not dumb_terminal()


def console(stream: TextIO | None = None) -> Console:
    """A rich console for ``stream``: the terminal's width (COLUMNS when set), unwrapped
    when piped; styles only where ``styled_ok``."""
    from rich.console import Console

    stream = stream or sys.stdout
    wrapped = stream.isatty() or os.environ.get("COLUMNS", "").isdigit()
    return Console(
        file=stream,
        width=None if wrapped else UNWRAPPED,
        highlight=False,
        markup=False,
        emoji=False,
        no_color=not styled_ok(stream),
        color_system="auto" if styled_ok(stream) else None,
    )


def width(stream: TextIO | None = None) -> int:
    """The columns text is laid out in (``UNWRAPPED`` when piped)."""
    return console(stream).width


def narrow(stream: TextIO | None = None) -> bool:
    """A narrow terminal: numbers only, no bars or charts."""
    return width(stream) < NARROW


def chart_fits(lines: Sequence[str], stream: TextIO | None = None) -> bool:
    """Whether a chart (lines of text) is shown: not on a narrow terminal, never cut."""
    from rich.cells import cell_len

    return not narrow(stream) and max(map(cell_len, lines), default=0) < width(stream)


def echo(*renderables: RenderableType, stream: TextIO | None = None) -> None:
    """Print rich renderables (plain lines when piped: no trailing spaces)."""
    out = console(stream)
    with out.capture() as captured:
        for renderable in renderables:
            out.print(renderable)
    text = captured.get()
    if not styled_ok(out.file):
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    click.echo(text, nl=False, file=out.file)


def paragraph(text: str | Text, label: str | Text = "", indent: int = 0) -> RenderableType:
    """``text`` word-wrapped; after ``label`` with a hanging indent (its continuation
    lines start under the text); the whole indented by ``indent`` columns."""
    from rich.table import Table
    from rich.text import Text

    words = Text(text, overflow="fold") if isinstance(text, str) else text
    label = Text(label) if isinstance(label, str) else label
    body: RenderableType = words
    if label and label.cell_len > (width() - indent) // 3:  # too wide to hang text under
        body = Text.assemble(label, " ", words, overflow="fold")
    elif label:
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")  # a word longer than the line (a path) is folded
        grid.add_row(label, body)
        body = grid
    return indented(body, indent) if indent else body


def echo_paragraphs(*texts: str, indent: int = 0) -> None:
    echo(*[paragraph(text, indent=indent) for text in texts])


def indented(renderable: RenderableType, columns: int) -> RenderableType:
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, columns), expand=False)


def bold(text: str) -> Text:
    return styled_text(text)


def styled_text(text: str, colour: str = "") -> Text:
    """Bold text (in ``colour``): shown plain where the output takes no styles."""
    from rich.text import Text

    styled = Text()
    styled.append(text, style=f"bold {colour}".strip())  # a span: text appended stays plain
    return styled


def echo_fragments(fragments: Fragments) -> None:
    """Styled quiz text (``normquiz.quiz.layout`` fragments): styled and laid out on a
    terminal that takes escape codes; laid out as plain text on one that does not (TERM
    dumb); as is when piped (laid out when COLUMNS is set)."""
    from normquiz.quiz.layout import fit, plain

    if interactive():
        from normquiz.quiz.screen import show

        show(fragments)
    elif (columns := width()) < UNWRAPPED:  # TERM=dumb, or COLUMNS set
        click.echo(plain(fit(fragments, columns - 1, unicode=False)), nl=False)
    else:
        click.echo(plain(fragments), nl=False)


@dataclass(frozen=True)
class Column:
    """A table column: its header, and whether it may wrap (numbers never do)."""

    header: str
    wraps: bool = False
    right: bool = False


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]], header: bool = True) -> Table:
    """A borderless table; columns that do not wrap are never cut (see ``fits``)."""
    from rich.table import Table

    grid = Table(
        box=None,
        header_style="bold",
        pad_edge=False,
        padding=(0, COLUMN_GAP, 0, 0),
        show_header=header,
    )
    for column in columns:
        grid.add_column(
            column.header,
            no_wrap=not column.wraps,
            overflow="fold",
            justify="right" if column.right else "left",
        )
    for row in rows:
        grid.add_row(*row)
    return grid


def fits(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    indent: int = 0,
    whole: bool = True,
    stream: TextIO | None = None,
) -> bool:
    """Whether the table fits the width: every line whole (``whole``), or its wrapping
    columns wrapped at words; a column that does not wrap is never cut."""
    from rich.cells import cell_len

    total = indent + COLUMN_GAP * (len(columns) - 1)
    for index, column in enumerate(columns):
        cells = [column.header, *(row[index] for row in rows)]
        if column.wraps and not whole:
            cells = [word for cell in cells for word in cell.split()]
        total += max(cell_len(line) for cell in cells for line in cell.split("\n"))
    return total <= width(stream)


def split_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], stream: TextIO | None = None
) -> list[Table]:
    """The table, or (when it does not fit) several, each with the first column and as
    many of the others as fit: every number shown whole."""
    if fits(columns, rows, stream=stream) or len(columns) <= 2:
        return [table(columns, rows)]
    tables: list[Table] = []
    group = [1]
    for index in range(2, len(columns)):
        keep = [0, *group, index]
        if fits([columns[i] for i in keep], [[row[i] for i in keep] for row in rows]):
            group.append(index)
        else:
            tables.append(_part(columns, rows, [0, *group]))
            group = [index]
    return [*tables, _part(columns, rows, [0, *group])]


def _part(columns: Sequence[Column], rows: Sequence[Sequence[str]], keep: list[int]) -> Table:
    return table([columns[i] for i in keep], [[row[i] for i in keep] for row in rows])
