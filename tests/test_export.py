"""`export anki` (a real .apkg: a zip holding an SQLite collection) and `export markdown`."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result

from conftest import bank_file, question_yaml
from normquiz.authoring.export_anki import MODEL_ID, ROOT_DECK_ID
from normquiz.cli import cli

CODE_EXPLANATION = '"Compare:\\n\\n```python\\nx = torch.ones(2)\\n```\\n"'  # YAML escapes


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


class Note(NamedTuple):
    guid: str
    front: str
    back: str
    id: str
    tags: list[str]


def notes_in(apkg: Path) -> dict[str, Note]:
    """The notes of an Anki package, by question id (the note's third field)."""
    with zipfile.ZipFile(apkg) as package:
        database = apkg.parent / f"{apkg.stem}.anki2"
        database.write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT guid, flds, tags, mid FROM notes").fetchall()
    notes = {}
    for guid, fields, tags, model_id in rows:
        assert model_id == MODEL_ID
        front, back, item_id = fields.split("\x1f")
        notes[item_id] = Note(guid, front, back, item_id, tags.split())
    assert len(notes) == len(rows)  # one note per item
    return notes


def decks_in(apkg: Path) -> dict[str, int]:
    database = apkg.parent / f"{apkg.stem}.anki2"
    notes_in(apkg)
    with sqlite3.connect(database) as connection:
        [(decks,)] = connection.execute("SELECT decks FROM col").fetchall()
    return {deck["name"]: deck["id"] for deck in json.loads(decks).values()}


def write_bank(directory: Path, explanation: str = "Because it is.") -> Path:
    """Four questions in topic `alpha` (one of each answer kind), one in `beta`."""
    return bank_file(
        directory,
        "bank.yaml",
        question_yaml(
            "alpha-single",
            topic="alpha",
            prompt="Which choice is right?",
            explanation=explanation,
            tags="[brief:S06, two words]",
            myth="The wrong one is right.",
        ),
        question_yaml(
            "alpha-numeric",
            topic="alpha",
            type="numeric",
            prompt="How many parameters?",
            choices=None,
            value="128",
            abs_tol="0.5",
            unit="parameters",
            explanation=CODE_EXPLANATION,
        ),
        question_yaml(
            "alpha-tf",
            topic="alpha",
            type="true_false",
            prompt="'Is <script>alert(1)</script> escaped?'",
            choices=None,
            answer="true",
        ),
        question_yaml(
            "alpha-short",
            topic="alpha",
            type="short",
            prompt="Why normalize?",
            choices=None,
            model_answer="To keep activations well scaled.",
            rubric="[{point: 'activations stay well scaled', keywords: [scale]}]",
        ),
        question_yaml("beta-single", topic="beta"),
    )


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    return write_bank(tmp_path / "bank")


def test_anki_has_one_note_per_question_of_the_topic(tmp_path: Path, bank: Path) -> None:
    apkg = tmp_path / "alpha.apkg"
    result = invoke("export", "anki", str(apkg), "--topic", "alpha", "--bank", str(bank))
    assert result.exit_code == 0, result.output
    assert "Wrote 4 notes (4 questions, 0 drills)" in result.output
    assert set(notes_in(apkg)) == {"alpha-single", "alpha-numeric", "alpha-tf", "alpha-short"}
    decks = decks_in(apkg)
    assert decks["normquiz"] == ROOT_DECK_ID and "normquiz::alpha" in decks
    assert "normquiz::beta" not in decks


def test_a_notes_front_back_and_tags(tmp_path: Path, bank: Path) -> None:
    apkg = tmp_path / "all.apkg"
    invoke("export", "anki", str(apkg), "--topic", "alpha", "--topic", "beta", "--bank", str(bank))
    note = notes_in(apkg)["alpha-single"]
    assert "Which choice is right?" in note.front
    assert "<li><strong>a.</strong> right</li>" in note.front
    assert "<li><strong>b.</strong> wrong</li>" in note.front
    assert "Because it is." not in note.front
    assert "<strong>Answer: a</strong>" in note.back and "Because it is." in note.back
    assert "The wrong one is right." in note.back  # the myth corrected
    assert 'href="https://docs.pytorch.org/x"' in note.back  # the reference, linked
    assert "<strong>b.</strong> nope" in note.back  # why the wrong choice is wrong
    assert set(note.tags) == {"topic:alpha", "type:single", "brief:S06", "two_words"}


def test_each_answer_kind_on_the_back(tmp_path: Path, bank: Path) -> None:
    apkg = tmp_path / "alpha.apkg"
    invoke("export", "anki", str(apkg), "--topic", "alpha", "--bank", str(bank))
    notes = notes_in(apkg)
    numeric = notes["alpha-numeric"]
    assert "Answer: 128 parameters (accepted within ± 0.5 parameters)" in numeric.back
    assert '<pre><code class="language-python">x = torch.ones(2)' in numeric.back
    true_false = notes["alpha-tf"]
    assert "True or false?" in true_false.front and "Answer: True" in true_false.back
    assert "&lt;script&gt;" in true_false.front and "<script>" not in true_false.front
    short = notes["alpha-short"]
    assert "To keep activations well scaled." in short.back
    assert "<li>activations stay well scaled</li>" in short.back


def test_reexporting_a_changed_question_updates_its_note(tmp_path: Path) -> None:
    """The same GUID for the same id: Anki updates the note instead of adding one."""
    bank = write_bank(tmp_path / "bank")
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    invoke("export", "anki", str(first), "--topic", "alpha", "--bank", str(bank))
    write_bank(tmp_path / "bank", explanation="A better explanation.")
    invoke("export", "anki", str(second), "--topic", "alpha", "--bank", str(bank))
    before, after = notes_in(first), notes_in(second)
    assert {n.guid for n in before.values()} == {n.guid for n in after.values()}
    assert before["alpha-single"].guid == after["alpha-single"].guid
    assert "A better explanation." in after["alpha-single"].back
    assert "A better explanation." not in before["alpha-single"].back
    assert len({note.guid for note in after.values()}) == len(after)  # distinct per question
    assert decks_in(first) == decks_in(second)  # fixed deck ids


def test_drills_carry_their_prompt_and_reference_solution(tmp_path: Path) -> None:
    apkg = tmp_path / "drills.apkg"
    result = invoke("export", "anki", str(apkg), "--type", "drill", "--topic", "bn", "--json")
    report = json.loads(result.output)
    listed = json.loads(invoke("list", "--type", "drill", "--topic", "bn", "--json").output)
    assert report["drills"] == len(listed["items"]) == len(notes_in(apkg)) > 0
    assert report["questions"] == 0 and report["skipped"] == []
    drill = notes_in(apkg)["bn-forward"]
    assert "Drill:" in drill.front and "<pre><code" in drill.back
    assert "def batchnorm_forward" in drill.back
    assert "def batchnorm_forward" not in drill.front


def test_a_file_that_is_not_apkg_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("export", "anki", str(tmp_path / "deck.zip"))
    assert result.exit_code == 2 and "must end in .apkg" in result.output
    assert not (tmp_path / "deck.zip").exists()


def test_markdown_writes_one_sheet_per_topic_with_every_id(tmp_path: Path, bank: Path) -> None:
    sheets = tmp_path / "sheets"
    result = invoke(
        "export",
        "markdown",
        str(sheets),
        "--topic",
        "alpha",
        "--topic",
        "beta",
        "--bank",
        str(bank),
    )
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in sheets.iterdir()) == ["alpha.md", "beta.md"]
    alpha = (sheets / "alpha.md").read_text(encoding="utf-8")
    for item_id in ("alpha-single", "alpha-numeric", "alpha-tf", "alpha-short"):
        assert f"\n## {item_id}\n" in alpha
    assert "beta-single" not in alpha and "\n## beta-single\n" in (sheets / "beta.md").read_text()
    assert "```python\nx = torch.ones(2)\n```" in alpha  # code stays fenced
    assert "**Answer: a**" in alpha and "Because it is." in alpha


def test_markdown_of_the_bundled_bank_covers_every_item(tmp_path: Path) -> None:
    invoke("export", "markdown", str(tmp_path))
    items = json.loads(invoke("list", "--json").output)["items"]
    topics = {item["topic"] for item in items}
    assert {path.stem for path in tmp_path.glob("*.md")} == topics
    for topic in topics:
        text = (tmp_path / f"{topic}.md").read_text(encoding="utf-8")
        ids = [item["id"] for item in items if item["topic"] == topic]
        assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == ids
        assert text.count("```") % 2 == 0  # every fence closed


def test_bad_requests_are_one_error_line(tmp_path: Path) -> None:
    unknown = invoke("export", "anki", str(tmp_path / "x.apkg"), "--topic", "no-such-topic")
    assert unknown.exit_code == 2 and "Usage: cli export anki" in unknown.output
    assert "Error: unknown topic 'no-such-topic'" in unknown.output
    missing = invoke("export", "anki", str(tmp_path / "no-dir" / "x.apkg"))
    assert missing.exit_code == 1 and "is not a directory" in missing.output
    assert "Traceback" not in unknown.output + missing.output
    assert list(tmp_path.iterdir()) == []  # nothing half-written
