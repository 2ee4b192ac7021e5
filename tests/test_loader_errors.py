"""Every loader error names file:line:column, the question id and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import bank_file, question_yaml
from normquiz.bank.loader import load_bank, load_file, load_file_strict
from normquiz.bank.schema import Numeric, SingleChoice, TrueFalse
from normquiz.exceptions import BankError, Problem


def only_problem(path: Path) -> Problem:
    loaded = load_file(path)
    assert len(loaded.problems) == 1, loaded.problems
    return loaded.problems[0]


def test_valid_question_loads(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "a.yaml", question_yaml("q-one"))
    [question] = load_file_strict(path)
    assert isinstance(question, SingleChoice)
    assert question.choices[0].correct and not question.choices[1].correct


def test_bad_yaml_syntax_names_line_and_column(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "a.yaml", question_yaml("q-one", prompt="what: is: this"))
    problem = only_problem(path)
    assert (problem.file.endswith("a.yaml"), problem.line, problem.column) == (True, 7, 17)
    assert "invalid YAML" in problem.message and "mapping values" in problem.message


def test_tab_indentation_says_use_spaces(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "a.yaml", "  - id: x\n\ttype: single\n")
    problem = only_problem(path)
    assert problem.line == 4 and "spaces, not tabs" in problem.message


def test_unknown_field_suggests_the_right_one(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path, "a.yaml", question_yaml("q-one", explanation=None, explanaton="typo")
    )
    problems = load_file(path).problems
    unknown = [p for p in problems if p.field == "explanaton"]
    assert unknown and unknown[0].line == 10 and unknown[0].column == 5
    assert unknown[0].id == "q-one"
    assert "did you mean 'explanation'" in unknown[0].message
    missing = [p for p in problems if p.field == "explanation"]
    assert missing and "missing" in missing[0].message


def test_wrong_type_is_located_at_the_field(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "a.yaml", question_yaml("q-one", difficulty="hard"))
    problem = only_problem(path)
    assert (problem.line, problem.column, problem.id, problem.field) == (
        6,
        5,
        "q-one",
        "difficulty",
    )
    assert "expected a number, got 'hard'" in problem.message
    assert str(problem).endswith("a.yaml:6:5: q-one: difficulty: expected a number, got 'hard'")


def test_out_of_range_difficulty(tmp_path: Path) -> None:
    problem = only_problem(bank_file(tmp_path, "a.yaml", question_yaml("q-one", difficulty="4")))
    assert problem.field == "difficulty" and "at most 3, got 4" in problem.message


def test_nested_field_error_points_into_the_list(tmp_path: Path) -> None:
    choices = (
        "\n      - text: right\n        correct: true\n      - text: wrong\n        correct: maybe"
    )
    problem = only_problem(bank_file(tmp_path, "a.yaml", question_yaml("q-one", choices=choices)))
    assert problem.field == "choices[1].correct"
    assert (problem.line, problem.column) == (14, 9)
    assert "expected true or false, got 'maybe'" in problem.message


def test_duplicate_ids_in_two_files_name_both_places(tmp_path: Path) -> None:
    first = bank_file(tmp_path / "bank", "a.yaml", question_yaml("dup-id"))
    bank_file(tmp_path / "bank", "b.yaml", question_yaml("other"), question_yaml("dup-id"))
    bank = load_bank([tmp_path / "bank"], use_env=False)
    [problem] = [p for p in bank.problems if p.id == "dup-id"]
    assert problem.file.endswith("b.yaml") and problem.line == 11 and problem.field == "id"
    assert "a.yaml:3:5" in problem.message
    assert bank.locations["dup-id"].file.endswith(first.name)


def test_single_with_two_correct_choices(tmp_path: Path) -> None:
    choices = "[{text: a, correct: true}, {text: b, correct: true}, {text: c, feedback: no}]"
    problem = only_problem(bank_file(tmp_path, "a.yaml", question_yaml("q-one", choices=choices)))
    assert (problem.line, problem.field, problem.id) == (10, "choices", "q-one")
    assert "exactly one" in problem.message and "found 2" in problem.message


def test_multi_with_no_correct_choice(tmp_path: Path) -> None:
    q = question_yaml("q-one", type="multi", choices="[{text: a}, {text: b}]")
    problem = only_problem(bank_file(tmp_path, "a.yaml", q))
    assert problem.field == "choices" and "at least one" in problem.message


NUMERIC = dict(type="numeric", choices=None, value="128", abs_tol="0")


def test_yaml11_exponent_without_dot_is_a_number(tmp_path: Path) -> None:
    q = question_yaml("q-num", **{**NUMERIC, "value": "1e-5", "abs_tol": "1e-7"})
    [question] = load_file_strict(bank_file(tmp_path, "a.yaml", q))
    assert isinstance(question, Numeric)
    assert question.value == pytest.approx(1e-5) and question.abs_tol == pytest.approx(1e-7)


def test_number_that_is_not_a_number_is_rejected_with_its_text(tmp_path: Path) -> None:
    q = question_yaml("bn-params-2d", **{**NUMERIC, "value": "1e-5x"})
    problem = only_problem(bank_file(tmp_path, "a.yaml", q))
    assert str(problem).endswith("a.yaml:10:5: bn-params-2d: value: expected a number, got '1e-5x'")


def test_boolean_where_a_number_belongs_is_rejected(tmp_path: Path) -> None:
    q = question_yaml("q-num", **{**NUMERIC, "value": "true"})
    problem = only_problem(bank_file(tmp_path, "a.yaml", q))
    assert problem.field == "value" and "the boolean true" in problem.message


def test_yaml11_booleans_stay_text_where_text_belongs(tmp_path: Path) -> None:
    choices = "[{text: yes, correct: yes}, {text: no, correct: no, feedback: off}, {text: 0.10}]"
    q = question_yaml("q-one", choices=choices, type="multi")
    [question] = load_file_strict(bank_file(tmp_path, "a.yaml", q))
    assert [c.text for c in question.choices] == ["yes", "no", "0.10"]
    assert [c.correct for c in question.choices] == [True, False, False]
    assert question.choices[1].feedback == "off"


def test_true_false_answer_accepts_yes_no(tmp_path: Path) -> None:
    q = question_yaml("q-tf", type="true_false", choices=None, answer="no")
    [question] = load_file_strict(bank_file(tmp_path, "a.yaml", q))
    assert isinstance(question, TrueFalse) and question.answer is False


def test_octal_and_sexagesimal_surprises_do_not_happen(tmp_path: Path) -> None:
    q = question_yaml("q-num", **{**NUMERIC, "value": "010", "unit": "1:20"})
    [question] = load_file_strict(bank_file(tmp_path, "a.yaml", q))
    assert question.value == 10 and question.unit == "1:20"


def test_numeric_without_tolerance(tmp_path: Path) -> None:
    q = question_yaml("q-num", **{**NUMERIC, "abs_tol": None})
    problem = only_problem(bank_file(tmp_path, "a.yaml", q))
    assert problem.field == "rel_tol" and "needs `abs_tol` or `rel_tol`" in problem.message


def test_zero_tolerance_on_a_fraction_is_unusable(tmp_path: Path) -> None:
    q = question_yaml("q-num", **{**NUMERIC, "value": "0.333"})
    problem = only_problem(bank_file(tmp_path, "a.yaml", q))
    assert "cannot be met" in problem.message


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("schema_version: 1\nquestions:\n  - id: caf\xe9\n".encode("latin-1"))
    problem = only_problem(path)
    assert (problem.line, problem.column) == (3, 12)
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("  \n", encoding="utf-8")
    problem = only_problem(path)
    assert (problem.line, problem.column) == (1, 1) and "empty" in problem.message


def test_top_level_list(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "list.yaml", "", header="- id: a\n- id: b\n")
    problem = only_problem(path)
    assert (problem.line, problem.column) == (1, 1)
    assert "top level must be a mapping" in problem.message and "a list" in problem.message


def test_missing_and_wrong_schema_version(tmp_path: Path) -> None:
    missing = only_problem(bank_file(tmp_path, "a.yaml", question_yaml(), header="questions:\n"))
    assert "schema_version" in missing.message
    wrong = only_problem(
        bank_file(tmp_path, "b.yaml", question_yaml(), header="schema_version: 2\nquestions:\n")
    )
    assert wrong.line == 1 and "reads schema_version 1" in wrong.message


def test_duplicate_key_in_one_question(tmp_path: Path) -> None:
    path = bank_file(tmp_path, "a.yaml", question_yaml("q-one") + "    prompt: again\n")
    problem = only_problem(path)
    assert problem.line == 11 and "duplicate key 'prompt' (first at line 7)" in problem.message


def test_unknown_type_suggests(tmp_path: Path) -> None:
    problem = only_problem(bank_file(tmp_path, "a.yaml", question_yaml("q-one", type="singel")))
    assert (problem.field, problem.line) == ("type", 4)
    assert "did you mean 'single'" in problem.message


def test_bad_question_does_not_drop_good_ones(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        "a.yaml",
        question_yaml("good-one"),
        question_yaml("bad-one", difficulty="9"),
        question_yaml("good-two"),
    )
    loaded = load_file(path)
    assert [q.id for q, _ in loaded.questions] == ["good-one", "good-two"]
    assert [p.id for p in loaded.problems] == ["bad-one"]
    with pytest.raises(BankError) as error:
        load_file_strict(path)
    assert "bad-one: difficulty" in str(error.value)


def test_reference_needs_authors_and_year_or_url(tmp_path: Path) -> None:
    refs = "[{title: Paper, authors: Someone}, {title: Doc, url: 'ftp://x'}]"
    problems = load_file(
        bank_file(tmp_path, "a.yaml", question_yaml("q", references=refs))
    ).problems
    assert {p.field for p in problems} == {"references[0].year", "references[1].url"}


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    q = question_yaml("q-one", prompt="!!python/object/apply:os.system ['echo hacked']")
    problem = only_problem(bank_file(tmp_path, "a.yaml", q))
    assert problem.line == 7 and "invalid YAML" in problem.message


def test_unreadable_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "missing.yaml")
    assert "cannot read" in problem.message


def test_extra_bank_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bank_file(tmp_path / "one", "a.yaml", question_yaml("env-one"))
    bank_file(tmp_path / "two", "b.yml", question_yaml("env-two"))
    monkeypatch.setenv("NORMQUIZ_BANK", f"{tmp_path / 'one'}:{tmp_path / 'two'}")
    bank = load_bank()
    assert {"env-one", "env-two"} <= set(bank.by_id)


def test_too_many_choices(tmp_path: Path) -> None:
    choices = (
        "["
        + ", ".join(
            f"{{text: c{i}, correct: {str(i == 0).lower()}, feedback: x}}" for i in range(11)
        )
        + "]"
    )
    problem = only_problem(bank_file(tmp_path, "a.yaml", question_yaml("q-one", choices=choices)))
    assert problem.field == "choices" and "at most 10" in problem.message
