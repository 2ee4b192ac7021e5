"""Study cards as printable Markdown sheets: ``DIR/TOPIC.md`` per topic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from normquiz.authoring.export import CardSelection, StudyCard
from normquiz.exceptions import UserDataError


@dataclass(frozen=True)
class SheetExport:
    """The sheets written, one per topic, and how many cards each holds."""

    directory: Path
    sheets: tuple[tuple[Path, int], ...]

    def to_json(self) -> dict[str, object]:
        return {
            "directory": str(self.directory),
            "sheets": [{"file": str(path), "items": n} for path, n in self.sheets],
        }


def write_sheets(selection: CardSelection, directory: Path) -> SheetExport:
    """Write one sheet per topic into ``directory`` (made if missing; sheets replaced)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        sheets = [_write_sheet(selection, topic, directory) for topic in selection.topics]
    except OSError as error:
        raise UserDataError(f"cannot write study sheets to {directory}: {error}") from None
    return SheetExport(directory, tuple(sheets))


def _write_sheet(selection: CardSelection, topic: str, directory: Path) -> tuple[Path, int]:
    cards = [card for card in selection.cards if card.topic == topic]
    path = directory / f"{topic}.md"
    path.write_text(sheet(topic, cards), encoding="utf-8")
    return path, len(cards)


def sheet(topic: str, cards: list[StudyCard]) -> str:
    """A topic's sheet: a heading, then each item with its answer."""
    questions = sum(card.kind == "question" for card in cards)
    drills = len(cards) - questions
    intro = f"# normquiz: {topic}\n\n{questions} question(s), {drills} drill(s).\n"
    return "\n".join([intro, *(section(card) for card in cards)])


def section(card: StudyCard) -> str:
    """One item: its id as a heading, the front, then the back under "Answer"."""
    tags = ", ".join(f"`{tag}`" for tag in card.tags)
    meta = f"*{card.type}*" + (f" · {tags}" if tags else "")
    return (
        f"---\n\n## {card.id}\n\n{meta}\n\n{card.front.rstrip()}\n\n"
        f"### Answer\n\n{card.back.rstrip()}\n"
    )
