"""`normquiz new question`: a commented template that passes lint, in the right file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from normquiz.bank.file_schema import file_schema
from normquiz.bank.schema import QUESTION_TYPES
from normquiz.cli import cli
from normquiz.cli.cmd_new import QUESTION_TYPES as OFFERED_TYPES


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def new_question(bank: Path, kind: str, *more: str, topic: str = "mine") -> Result:
    return invoke("new", "question", "--type", kind, "--topic", topic, "--bank", str(bank), *more)


def lint_own(bank: Path) -> dict[str, object]:
    result = invoke("lint", "--no-bundled", "--bank", str(bank), "--json")
    report: dict[str, object] = json.loads(result.output)
    assert result.exit_code == (0 if not report["problems"] else 1)
    return report


def test_every_question_type_is_offered() -> None:
    assert set(OFFERED_TYPES) == set(QUESTION_TYPES)


@pytest.mark.parametrize("kind", sorted(QUESTION_TYPES))
def test_the_template_passes_lint_and_says_where_it_is(tmp_path: Path, kind: str) -> None:
    result = new_question(tmp_path, kind)
    assert result.exit_code == 0, result.output
    where = result.output.split(": ")[0]
    file, line = where.rsplit(":", 1)
    assert Path(file) == tmp_path / "mine.yaml"
    written = (tmp_path / "mine.yaml").read_text(encoding="utf-8").splitlines()
    assert written[int(line) - 1].strip().startswith(f"- id: mine-{kind.replace('_', '-')}")
    report = lint_own(tmp_path)
    assert report["problems"] == [] and report["by_type"] == {kind: 1}
    question = yaml.safe_load("\n".join(written))["questions"][0]
    assert question["prompt"].startswith("TODO:")
    assert question["explanation"].startswith("TODO:")


def test_a_new_file_names_its_schema_and_matches_it(tmp_path: Path) -> None:
    new_question(tmp_path, "short")
    text = (tmp_path / "mine.yaml").read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert Path(first.split("$schema=")[1]).is_file()
    validator = jsonschema.Draft202012Validator(file_schema("questions"))
    assert list(validator.iter_errors(yaml.safe_load(text))) == []


def test_appending_keeps_what_was_there_and_numbers_the_id(tmp_path: Path) -> None:
    new_question(tmp_path, "single")
    before = (tmp_path / "mine.yaml").read_text(encoding="utf-8")
    result = new_question(tmp_path, "single", "--json")
    data = json.loads(result.output)
    assert data["id"] == "mine-single-2" and data["created"] is False
    after = (tmp_path / "mine.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after.splitlines()[data["line"] - 1].strip() == "- id: mine-single-2" + (
        "  # never change it once you review with it: progress is keyed by id"
    )
    assert lint_own(tmp_path)["questions"] == 2


def test_an_existing_file_keeps_its_indentation(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("schema_version: 1\nquestions:\n", encoding="utf-8")
    new_question(tmp_path, "numeric")
    (tmp_path / "flat.yaml").write_text(
        (tmp_path / "mine.yaml").read_text(encoding="utf-8").replace("\n  ", "\n"),
        encoding="utf-8",
    )
    (tmp_path / "mine.yaml").unlink()
    result = new_question(tmp_path, "true_false", topic="flat")
    assert result.exit_code == 0, result.output
    assert lint_own(tmp_path)["questions"] == 2


def test_a_taken_id_is_a_usage_error(tmp_path: Path) -> None:
    result = new_question(tmp_path, "single", "--id", "ln-params-512")  # a bundled question
    assert result.exit_code == 2
    assert "'ln-params-512' is already used" in result.output
    assert not (tmp_path / "mine.yaml").exists()


@pytest.mark.parametrize("option", [("--topic", "Bad Topic"), ("--id", "no spaces")])
def test_a_bad_topic_or_id_is_a_usage_error(tmp_path: Path, option: tuple[str, str]) -> None:
    args = ["new", "question", "--type", "single", "--bank", str(tmp_path)]
    args += ["--topic", "mine"] if option[0] == "--id" else []
    result = invoke(*args, *option)
    assert result.exit_code == 2
    assert "must be lowercase letters and digits" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_file_it_cannot_append_to_is_left_as_it_was(tmp_path: Path) -> None:
    text = "schema_version: 1\nquestions: []\n"
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    result = new_question(tmp_path, "single")
    assert result.exit_code == 1
    assert "mine.yaml:1:1: cannot append a question, the file is unchanged" in result.output
    assert (tmp_path / "mine.yaml").read_text(encoding="utf-8") == text


def test_a_missing_bank_directory_is_created(tmp_path: Path) -> None:
    bank = tmp_path / "my-questions"
    assert new_question(bank, "multi", "--id", "ln-params-512").exit_code == 2
    assert not bank.exists()
    assert new_question(bank, "multi").exit_code == 0
    assert lint_own(bank)["questions"] == 1
