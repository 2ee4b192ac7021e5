"""Plain mode through stdin: one answer per line, no escape codes, saved as it goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURE_ARGS, run_cli
from normquiz.bank.loader import load_bank
from normquiz.progress.store import ProgressStore
from normquiz.quiz.kinds import kind_of

ARGS = (
    "quiz",
    "--topic",
    "bn",
    "--type",
    "single",
    "--type",
    "true_false",
    "-n",
    "3",
    "--seed",
    "7",
)


def questions_asked(output: str) -> list[str]:
    """The type label of each question header, e.g. "true/false" (ids come with feedback)."""
    return [
        line.split("(", 1)[1].split(",")[0] for line in output.splitlines() if line.startswith("[")
    ]


def test_plain_session_transcript_and_saved_answers(isolated_home: Path) -> None:
    first = run_cli(*ARGS, "--plain", input="s\ns\ns\n")
    ids = questions_asked(first.stdout)
    assert len(ids) == 3 and "No questions answered (3 skipped)." in first.stdout
    result = run_cli(*ARGS, input="zz\nq\n")
    assert result.returncode == 0
    assert "not an answer:" in result.stdout and "\x1b[" not in result.stdout
    assert questions_asked(result.stdout) == ids[:1]
    with ProgressStore.open(isolated_home) as store:
        assert store.review_count() == 0  # an invalid line is not an answer


def valid_answer(label: str) -> str:
    """Input lines that answer a question of this type label (right or wrong)."""
    return {"true/false": "t", "numeric": "1", "short answer": "some words\n.\n3"}.get(label, "a")


def test_json_result_and_end_of_input(isolated_home: Path) -> None:
    asked = questions_asked(run_cli(*ARGS, input="s\ns\ns\n").stdout)
    answers = "\n".join(valid_answer(label) for label in asked[:2])
    result = run_cli(*ARGS, "--json", input=answers + "\n")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answered"] == 2 and len(data["items"]) == 2
    bank = load_bank(use_env=False)
    assert [kind_of(bank.by_id[item["id"]]).label for item in data["items"]] == asked[:2]
    assert all(set(item) >= {"id", "correct", "response"} for item in data["items"])
    assert "Score:" in result.stderr  # the session text went to stderr
    with ProgressStore.open(isolated_home) as store:
        assert [r.item_id for r in store.reviews()] == [item["id"] for item in data["items"]]


def test_short_answer_with_rating_line(isolated_home: Path) -> None:
    args = ("quiz", *FIXTURE_ARGS, "--type", "short", "-n", "1", "--json")
    result = run_cli(*args, input="per token statistics,\npadding is harmless\n.\n\n")
    item = json.loads(result.stdout)["items"][0]
    assert item["response"]["points"][:2] == [True, True]
    assert "Model answer:" in result.stderr and "[x]" in result.stderr
    chosen = run_cli(*args, "--id", "fx-ln-why-transformers", input="no idea\n.\n9\n4\n")
    assert "not a rating" in chosen.stderr
    assert json.loads(chosen.stdout)["items"][0]["rating"] == 4


def test_numeric_wrong_shows_the_answer_and_explanation(isolated_home: Path) -> None:
    result = run_cli("quiz", *FIXTURE_ARGS, "--type", "numeric", "-n", "1", input="2048\n")
    assert "[-] Wrong. The answer is 128 parameters" in result.stdout
    assert (
        "Why:" in result.stdout
        and "Myth corrected:" in result.stdout
        and "References:" in result.stdout
    )


def test_no_matching_questions_is_an_error() -> None:
    result = run_cli("quiz", *FIXTURE_ARGS, "--topic", "rms", input="")  # both exist, apart
    assert result.returncode == 1 and "no questions match" in result.stderr


@pytest.mark.usefixtures("shared_worker")
def test_p_proves_the_previous_answer_with_torch(isolated_home: Path) -> None:
    result = run_cli("quiz", *FIXTURE_ARGS, "--type", "numeric", "-n", "1", input="64\np\n")
    assert "Proof (run with torch):" in result.stdout
    assert "answer = 128" in result.stdout and "Every assertion held" in result.stdout
    early = run_cli("quiz", *FIXTURE_ARGS, "--id", "fx-bn-params", input="p\n")
    assert "nothing answered yet" in early.stdout


def test_the_id_is_hidden_until_the_question_is_answered(isolated_home: Path) -> None:
    """An id such as `bn-no-grad-is-not-eval` can give the answer away: it comes with the
    feedback, where `p` and `related` need it."""
    args = ("quiz", "--plain", "--type", "true_false", "-n", "1", "--seed", "5", "--json")
    result = run_cli(*args, input="t\n")
    [item] = json.loads(result.stdout)["items"]
    question, feedback = result.stderr.split("answer (t or f", 1)
    assert item["id"] not in question
    assert f"Question {item['id']}" in feedback


def test_choices_are_shuffled_per_seed_and_graded_in_the_order_shown(isolated_home) -> None:
    from normquiz.progress.store import ProgressStore as Store
    from normquiz.quiz.kinds import LETTERS
    from normquiz.quiz.start import SessionRequest, prepare

    bank = load_bank(use_env=False)
    orders, responses = set(), []
    for seed in (1, 2, 3, 4):
        with Store.open(isolated_home) as store:
            session = prepare(SessionRequest(ids=("bn-eps-role",), seed=seed), store, bank)
            [shown] = session.questions
        orders.add(tuple(choice.text for choice in shown.choices))
        right = next(i for i, choice in enumerate(shown.choices) if choice.correct)
        responses.append(LETTERS[right])
        run = run_cli(
            "quiz",
            "--plain",
            "--id",
            "bn-eps-role",
            "--seed",
            str(seed),
            "--json",
            input=LETTERS[right] + "\n",
        )
        [item] = json.loads(run.stdout)["items"]
        assert (item["id"], item["response"], item["correct"]) == (
            "bn-eps-role",
            LETTERS[right],
            True,
        )
    assert len(orders) > 1 and len(set(responses)) > 1  # positions and letters move
