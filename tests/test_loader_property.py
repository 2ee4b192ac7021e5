"""Random YAML never makes the loader raise anything but BankError, and every problem is located."""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normquiz.bank.loader import load_file, load_file_strict
from normquiz.exceptions import BankError

FIELD_NAMES = [
    "id",
    "type",
    "topic",
    "tags",
    "difficulty",
    "prompt",
    "explanation",
    "references",
    "choices",
    "text",
    "correct",
    "feedback",
    "value",
    "abs_tol",
    "rel_tol",
    "answer",
    "model_answer",
    "rubric",
    "keywords",
    "point",
    "verify",
    "related",
    "myth",
    "schema_version",
    "questions",
    "title",
    "authors",
    "year",
    "url",
]
TYPE_NAMES = ["single", "multi", "true_false", "numeric", "short", "bogus"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([*TYPE_NAMES, "1e-5", "no", "yes", "010", "1:20", "bn", "", "~"]),
    st.text(max_size=20),
)
keys = st.one_of(
    st.sampled_from(FIELD_NAMES), st.text(string.ascii_lowercase, min_size=1, max_size=6)
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=30,
)
question_like = st.fixed_dictionaries(
    {
        "schema_version": st.sampled_from([1, 1, 2, "1", None]),
        "questions": st.lists(st.dictionaries(keys, documents, max_size=10), max_size=3),
    }
)


def check(path: Path) -> None:
    loaded = load_file(path)
    for problem in loaded.problems:
        assert problem.file and problem.line >= 1 and problem.column >= 1 and problem.message
    try:
        load_file_strict(path)
    except BankError as error:
        assert error.problems


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.one_of(documents, question_like))
def test_random_structures(tmp_path: Path, data: object) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    check(path)


@SETTINGS
@given(st.text(alphabet=string.printable + "\x00\x85\u2028é-:[]{}&*!|>'\"%@`#,?", max_size=200))
def test_random_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.yaml"
    path.write_text("schema_version: 1\nquestions:\n" + text, encoding="utf-8")
    check(path)


@SETTINGS
@given(st.binary(max_size=120))
def test_random_bytes(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "random.yaml"
    path.write_bytes(raw)
    check(path)


def test_alias_bomb_and_recursion_are_handled(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text("a: &a [*a]\n" + "b: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    check(path)
