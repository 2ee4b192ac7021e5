"""Choosing a drill from a list: prompt-toolkit's completion menu in a terminal (type to
filter, Up/Down to move, Enter to open, Esc to go back), a numbered list elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.validation import ValidationError, Validator
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from normquiz.cli.keys import KeyReader
from normquiz.drills.status import DrillStatus

PROMPT = "Open drill: "
TOOLBAR = "type to filter · Up/Down choose · Enter opens · Esc back"


def matching(rows: Sequence[DrillStatus], text: str) -> list[DrillStatus]:
    """The rows whose id, title, topic or status hold every word of ``text``."""
    words = text.lower().split()
    return [
        row
        for row in rows
        if all(word in f"{row.id} {row.title} {row.topic} {row.status}".lower() for word in words)
    ]


def chosen(rows: Sequence[DrillStatus], text: str) -> str | None:
    """The drill ``text`` names: an id, or a filter only one drill matches."""
    if any(row.id == text.strip() for row in rows):
        return text.strip()
    found = matching(rows, text)
    return found[0].id if len(found) == 1 else None


class DrillCompleter(Completer):
    """Every drill matching the text typed, with its status and title beside it."""

    def __init__(self, rows: Sequence[DrillStatus], current: str) -> None:
        self.rows, self.current = rows, current

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        for row in matching(self.rows, document.text):
            here = "  (watching)" if row.id == self.current else ""
            yield Completion(
                row.id,
                start_position=-len(document.text),
                display_meta=f"{row.status}: {row.title}{here}",
            )


class DrillValidator(Validator):
    def __init__(self, rows: Sequence[DrillStatus]) -> None:
        self.rows = rows

    def validate(self, document: Document) -> None:
        if document.text.strip() and chosen(self.rows, document.text) is None:
            count = len(matching(self.rows, document.text))
            raise ValidationError(
                message=f"{count} drills match: type more, or pick one with Up/Down"
                if count
                else "no drill matches: Backspace, or Esc to go back"
            )


def pick_drill(rows: Sequence[DrillStatus], current: str, height: int) -> str | None:
    """A drill id, or None (Esc, Ctrl-D, or Enter on nothing). Ctrl-C raises KeyboardInterrupt."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.shortcuts import CompleteStyle

    bindings = KeyBindings()

    @bindings.add("escape", eager=True)
    def _back(event: KeyPressEvent) -> None:
        event.app.exit(result="")

    session: PromptSession[str] = PromptSession(
        PROMPT,
        completer=DrillCompleter(rows, current),
        complete_while_typing=True,
        validator=DrillValidator(rows),
        validate_while_typing=False,
        key_bindings=bindings,
        complete_style=CompleteStyle.COLUMN,
        bottom_toolbar=TOOLBAR,
        reserve_space_for_menu=max(3, min(len(rows), height - 3)),
    )
    try:
        text = session.prompt(pre_run=lambda: session.default_buffer.start_completion())
    except EOFError:
        return None
    return chosen(rows, text) if text.strip() else None


def _numbered(rows: Sequence[DrillStatus], current: str) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for number, row in enumerate(rows, start=1):
        here = "  (watching)" if row.id == current else ""
        table.add_row(f"{number}.", row.status, f"{row.id}: {row.title}{here}")
    return table


def pick_drill_by_line(
    rows: Sequence[DrillStatus],
    current: str,
    keys: KeyReader,
    show: Callable[[RenderableType], None],
) -> str | None:
    """A numbered list and a line: a number or an id opens, other text filters the list,
    an empty line goes back."""
    shown = list(rows)
    while True:
        show(_numbered(shown, current))
        show(Text("Type a number or an id to open, words to filter, Enter to go back:"))
        line = keys.read_line()
        if not line or not line.strip():
            return None
        if line.strip().isdigit() and 1 <= int(line) <= len(shown):
            return shown[int(line) - 1].id
        pick = chosen(rows, line)
        if pick is not None:
            return pick
        shown = matching(rows, line) or list(rows)
        if not matching(rows, line):
            show(Text(f"No drill matches {line.strip()!r}; all drills:"))
