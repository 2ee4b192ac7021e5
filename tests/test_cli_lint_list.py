"""`lint` and `list`: JSON shapes, exit codes, filters, warnings."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import bank_file, question_yaml
from normquiz.cli import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def items(*args: str) -> list[dict]:
    """The rows of a `list --json` run (checked to carry the format version)."""
    data = json.loads(invoke(*args).output)
    assert data["format"] == 1
    return data["items"]


def test_lint_json_on_the_bundled_bank_is_clean() -> None:
    result = invoke("lint", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {
        "format",
        "questions",
        "drills",
        "by_type",
        "by_topic",
        "by_difficulty",
        "with_verify",
        "problems",
    }
    assert report["format"] == 1
    assert report["problems"] == []
    assert report["questions"] >= 20 and report["drills"] >= 2
    assert set(report["by_type"]) == {"single", "multi", "true_false", "numeric", "short"}
    assert (
        sum(report["by_type"].values()) == report["questions"] == sum(report["by_topic"].values())
    )
    assert set(report["by_difficulty"]) <= {"1", "2", "3"}
    assert sum(report["by_difficulty"].values()) == report["questions"]
    assert 0 < report["with_verify"] <= report["questions"]


def test_lint_reports_every_kind_of_problem(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank_file(
        bank,
        "a.yaml",
        question_yaml("dup-id"),
        question_yaml("bad-related", related="[no-such-question]"),
        question_yaml("bad-verify", verify="'assert (1 +'"),
        question_yaml("no-feedback", choices="[{text: a, correct: true}, {text: b}]"),
        question_yaml(
            "multi-no-feedback",
            type="multi",
            choices="[{text: a, correct: true, feedback: yes}, {text: b}]",
        ),
    )
    bank_file(bank, "b.yaml", question_yaml("dup-id"), question_yaml("broken", difficulty="x"))
    result = invoke("lint", "--bank", str(bank), "--json")
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    by_id = {p["id"]: p for p in problems}
    assert set(by_id) == {
        "dup-id",
        "bad-related",
        "bad-verify",
        "no-feedback",
        "multi-no-feedback",
        "broken",
    }
    for problem in problems:
        assert {"file", "line", "id", "message"} <= set(problem) and problem["line"] >= 1
    assert "a.yaml:3:5" in by_id["dup-id"]["message"] and by_id["dup-id"]["file"].endswith("b.yaml")
    assert "no-such-question" in by_id["bad-related"]["message"]
    assert "does not compile" in by_id["bad-verify"]["message"]
    assert "feedback" in by_id["no-feedback"]["message"]
    assert "choices[1] is wrong" in by_id["multi-no-feedback"]["message"]
    assert by_id["broken"]["line"] == 14


def test_lint_text_output_is_one_located_line_per_problem(tmp_path: Path) -> None:
    bank_file(tmp_path, "a.yaml", question_yaml("q-one", difficulty="7"))
    result = CliRunner().invoke(cli, ["lint", "--bank", str(tmp_path)])
    assert result.exit_code == 1
    assert "a.yaml:6:5: q-one: difficulty: must be at most 3, got 7" in result.output


def test_lint_usage_error_exits_2(tmp_path: Path) -> None:
    assert invoke("lint", "--bank", str(tmp_path / "nope")).exit_code == 2
    assert invoke("lint", "--no-such-option").exit_code == 2


def test_bad_environment_bank_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NORMQUIZ_BANK", str(tmp_path / "missing"))
    result = CliRunner().invoke(cli, ["lint"])
    assert result.exit_code == 2 and "bank directory not found" in result.output


def test_list_json_shape_and_filters() -> None:
    rows = items("list", "--json")
    assert rows and all(
        set(r) == {"id", "kind", "type", "topic", "tags", "difficulty"} for r in rows
    )
    assert {r["kind"] for r in rows} == {"question", "drill"}
    drills = items("list", "--json", "--type", "drill")
    assert {r["id"] for r in drills} >= {"bn-forward", "bn-running-stats"}
    assert all(r["kind"] == r["type"] == "drill" for r in drills)
    numeric_bn = items("list", "--json", "--topic", "bn", "--type", "numeric")
    assert numeric_bn and all(r["topic"] == "bn" and r["type"] == "numeric" for r in numeric_bn)
    assert {r["id"] for r in numeric_bn} < {r["id"] for r in rows}
    tagged = items("list", "--json", "--tag", "brief:E07")
    assert tagged and all("brief:E07" in r["tags"] for r in tagged)
    two_topics = items("list", "--json", "--topic", "ln", "--topic", "gn")
    assert {r["topic"] for r in two_topics} == {"ln", "gn"}


def test_list_includes_extra_banks_and_warns_once_per_bad_file(tmp_path: Path) -> None:
    bank_file(
        tmp_path,
        "mine.yaml",
        question_yaml("my-own"),
        question_yaml("my-bad", difficulty="0"),
        question_yaml("my-bad-2", difficulty="9"),
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["list", "--json", "--bank", str(tmp_path)])
    assert result.exit_code == 0
    assert "my-own" in {r["id"] for r in json.loads(result.stdout)["items"]}
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "mine.yaml:14:5: my-bad: difficulty" in warnings[0]
    assert "1 more in this file" in warnings[0]


def test_list_table_has_no_escape_codes_when_piped() -> None:
    result = invoke("list", "--topic", "rms")
    expected = len(items("list", "--topic", "rms", "--json"))
    assert "\x1b[" not in result.output
    assert "rms-params-4096" in result.output and f"{expected} item(s)" in result.output


def test_lint_flags_a_power_that_markdown_would_render_bold(tmp_path: Path) -> None:
    prose = question_yaml(
        "prose-power", explanation="'The weight is 0.9**50 = 0.5% after 50 steps.'"
    )
    coded = question_yaml(
        "coded-power", explanation="'The weight is `0.9**50` = 0.5%; **this** is bold.'"
    )
    path = bank_file(tmp_path, "bank.yaml", prose, coded)
    result = CliRunner().invoke(cli, ["lint", "--json", "--no-bundled", "--bank", str(path)])
    problems = json.loads(result.stdout)["problems"]
    assert [(p["id"], p["field"]) for p in problems] == [("prose-power", "explanation")]
    assert "0.9**5" in problems[0]["message"] and "code span" in problems[0]["message"]
    assert problems[0]["line"] >= 1 and result.exit_code == 1


def test_lint_flags_a_proof_that_only_asserts_its_answer(tmp_path: Path) -> None:
    tf = {"type": "true_false", "answer": "false", "choices": None}
    literal = question_yaml("literal-answer", **tf, verify="'import torch\n\nanswer = False'")
    no_torch = question_yaml("no-torch", **tf, verify="'answer = 1 > 2'")
    computed = question_yaml(
        "computed", **tf, verify="'import torch\n\nanswer = bool(torch.tensor(1) > 2)'"
    )
    shown = question_yaml(
        "illustrated", **tf, verify="'answer = False'", verify_kind="illustration"
    )
    path = bank_file(tmp_path, "bank.yaml", literal, no_torch, computed, shown)
    result = CliRunner().invoke(cli, ["lint", "--json", "--no-bundled", "--bank", str(path)])
    report = json.loads(result.stdout)
    flagged = {(p["id"], p["message"].split(":")[0]) for p in report["problems"]}
    assert flagged == {
        ("literal-answer", "verify assigns `answer` a literal (snippet line 2)"),
        ("no-torch", "verify never uses torch"),
    }
    assert report["with_verify"] == 3  # the illustration is not counted as a proof
