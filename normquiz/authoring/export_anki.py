"""Study cards as an Anki package (.apkg), written by genanki.

The ids below are fixed, so importing a newer export updates the notes it already made:

- a note's GUID is ``genanki.guid_for(GUID_NAMESPACE, kind, id)`` (the question's or drill's
  id, which the bank never changes), so Anki finds the note again and updates its fields;
- the note type (model) is ``MODEL_NAME`` with id ``MODEL_ID``: fields Front, Back, Id;
  a change to its fields or templates gets a new version (name and id);
- the deck ``normquiz`` has id ``ROOT_DECK_ID``; each topic is a subdeck ``normquiz::TOPIC``
  whose id is derived from the topic's name (``topic_deck_id``).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import genanki  # type: ignore[import-untyped]
from markdown_it import MarkdownIt

from normquiz.authoring.export import CardSelection, StudyCard
from normquiz.exceptions import UserDataError

GUID_NAMESPACE = "normquiz"
MODEL_VERSION = 1
MODEL_ID = 1_745_221_900
MODEL_NAME = f"normquiz card v{MODEL_VERSION}"
DECK_NAME = "normquiz"
ROOT_DECK_ID = 1_745_221_901

_FRONT = '<div class="normquiz">{{Front}}</div>'
_BACK = (
    '{{FrontSide}}<hr id="answer"><div class="normquiz">{{Back}}</div>'
    '<div class="normquiz-id">normquiz show {{Id}}</div>'
)
_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.normquiz pre { background: #f4f4f4; padding: 0.5em; overflow-x: auto; }
.normquiz code { font-family: monospace; }
.normquiz-id { margin-top: 1em; font-size: 12px; color: #888; }
"""


@dataclass(frozen=True)
class AnkiExport:
    """What an export wrote: the file, its decks and how many notes of each kind."""

    path: Path
    decks: tuple[str, ...]
    questions: int
    drills: int

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "decks": list(self.decks),
            "notes": self.questions + self.drills,
            "questions": self.questions,
            "drills": self.drills,
            "model": {"id": MODEL_ID, "name": MODEL_NAME},
            "deck_id": ROOT_DECK_ID,
        }


def write_anki(selection: CardSelection, path: Path) -> AnkiExport:
    """Write the cards to ``path`` (replaced whole, never left half-written)."""
    decks = {
        topic: _deck(f"{DECK_NAME}::{topic}", topic_deck_id(topic)) for topic in selection.topics
    }
    for card in selection.cards:
        decks[card.topic].add_note(anki_note(card))
    package = genanki.Package([_deck(DECK_NAME, ROOT_DECK_ID), *decks.values()])
    _write_atomically(package, path)
    names = tuple(deck.name for deck in decks.values())
    return AnkiExport(path, names, selection.count("question"), selection.count("drill"))


def topic_deck_id(topic: str) -> int:
    """A topic's subdeck id: fixed for its name, above the root deck's id."""
    digest = hashlib.sha256(f"{GUID_NAMESPACE}::deck::{topic}".encode()).digest()
    return ROOT_DECK_ID + 1 + int.from_bytes(digest[:3], "big")


def note_guid(card: StudyCard) -> str:
    guid: str = genanki.guid_for(GUID_NAMESPACE, card.kind, card.id)
    return guid


def anki_note(card: StudyCard) -> genanki.Note:
    return genanki.Note(
        model=_model(),
        fields=[to_html(card.front), to_html(card.back), card.id],
        tags=anki_tags(card),
        guid=note_guid(card),
    )


def anki_tags(card: StudyCard) -> list[str]:
    """``topic:bn``, ``type:single`` and the item's tags (Anki tags hold no spaces)."""
    tags = [f"topic:{card.topic}", f"type:{card.type}", *card.tags]
    return list(dict.fromkeys("_".join(tag.split()) for tag in tags))


def to_html(markdown: str) -> str:
    """CommonMark as HTML; HTML written in the text is escaped, not passed through."""
    html: str = _markdown().render(markdown)
    return html.strip()


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=1)
def _model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Id"}],
        templates=[{"name": "Card 1", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


def _deck(name: str, deck_id: int) -> genanki.Deck:
    return genanki.Deck(deck_id, name, description="normquiz: questions and drills")


def _write_atomically(package: genanki.Package, path: Path) -> None:
    """Write next to ``path``, then rename: an export that fails leaves the old file."""
    if not path.parent.is_dir():
        raise UserDataError(f"cannot write {path}: {path.parent} is not a directory")
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(suffix=".apkg", dir=path.parent)
        os.close(handle)
        package.write_to_file(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise UserDataError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
