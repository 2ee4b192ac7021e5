"""`normquiz schema`: the JSON Schema validates every bundled file, rejects unknown fields,
accepts what the loader accepts, and the shipped schema files are its output."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from normquiz.bank.loader import load_file
from normquiz.cli import cli

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "questions"
SCHEMA_DIR = QUESTIONS / "schema"
BANK_FILES = sorted(QUESTIONS.glob("*.yaml"))


def kind_of(path: Path) -> str:
    return "drills" if path.name == "drills.yaml" else "questions"


def printed_schema(kind: str) -> str:
    result = CliRunner().invoke(cli, ["schema", kind], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(printed_schema(kind))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def errors(kind: str, data: Any) -> list[str]:
    return [error.message for error in validator(kind).iter_errors(data)]


@pytest.mark.parametrize("kind", ["questions", "drills"])
def test_shipped_schema_files_are_the_printed_schema(kind: str) -> None:
    shipped = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert shipped == printed_schema(kind), (
        f"questions/schema/{kind}.schema.json is out of date: run "
        f"`normquiz schema {kind} > questions/schema/{kind}.schema.json`"
    )


def test_schema_without_a_kind_is_the_questions_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.output == printed_schema("questions")
    assert json.loads(printed_schema("drills"))["required"] == ["schema_version", "drills"]


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_every_bundled_file_is_valid_and_names_its_schema(path: Path) -> None:
    assert errors(kind_of(path), read(path)) == []
    first = path.read_text(encoding="utf-8").splitlines()[0]
    schema_path = f"schema/{kind_of(path)}.schema.json"
    assert first == f"# yaml-language-server: $schema={schema_path}"
    assert (path.parent / schema_path).is_file()


def test_the_loader_still_reads_a_file_that_starts_with_the_schema_line() -> None:
    loaded = load_file(QUESTIONS / "ln.yaml")
    assert loaded.problems == []
    assert len(loaded.questions) == len(read(QUESTIONS / "ln.yaml")["questions"]) > 0


def first_item(kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A bundled file's data and (a reference to) its first item."""
    data = read(QUESTIONS / ("drills.yaml" if kind == "drills" else "ln.yaml"))
    return data, data[kind][0]


@pytest.mark.parametrize("kind", ["questions", "drills"])
def test_an_unknown_field_is_rejected(kind: str) -> None:
    data, item = first_item(kind)
    assert errors(kind, data) == []
    item["colour"] = "red"
    assert any("colour" in message for message in errors(kind, data))
    del item["colour"]
    data["extra_section"] = []
    assert any("extra_section" in message for message in errors(kind, data))


def test_an_unknown_field_of_a_nested_object_is_rejected() -> None:
    data, item = first_item("questions")
    item["references"][0]["pages"] = "1-9"
    assert errors("questions", data)


# what the loader accepts beyond plain JSON types: text as a number, a number as text
# (PyYAML reads 1e-5 as a string), yes/no, one tag for a list
LENIENT = {
    "tags": "one-tag",
    "difficulty": "2",
    "value": "1e-5",
    "abs_tol": "1e-6",
    "unit": 64,
}


def numeric_file(**changes: Any) -> dict[str, Any]:
    data, _ = first_item("questions")
    question = next(q for q in data["questions"] if q["type"] == "numeric")
    return {"schema_version": 1, "questions": [{**copy.deepcopy(question), **changes}]}


def loader_problems(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return [problem.message for problem in load_file(path).problems]


def test_the_schema_accepts_what_the_loader_accepts(tmp_path: Path) -> None:
    data = numeric_file(**LENIENT)
    assert loader_problems(tmp_path, data) == []
    assert errors("questions", data) == []
    single = copy.deepcopy(
        next(q for q in read(QUESTIONS / "ln.yaml")["questions"] if q["type"] == "single")
    )
    single["choices"][0]["correct"] = "yes" if single["choices"][0].get("correct") else "no"
    single["choices"][1]["text"] = 64
    data = {"schema_version": 1, "questions": [single]}
    assert loader_problems(tmp_path, data) == []
    assert errors("questions", data) == []


@pytest.mark.parametrize(
    "changes",
    [{"difficulty": 4}, {"id": "Not A Slug"}, {"value": "ten"}, {"abs_tol": -1}, {"tags": True}],
    ids=["difficulty", "id", "value", "abs_tol", "tags"],
)
def test_the_schema_rejects_what_the_loader_rejects(
    tmp_path: Path, changes: dict[str, Any]
) -> None:
    data = numeric_file(**changes)
    assert loader_problems(tmp_path, data) != []
    assert errors("questions", data) != []
