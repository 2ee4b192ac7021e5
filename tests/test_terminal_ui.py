"""The interactive session driven through prompt-toolkit's pipe input."""

from __future__ import annotations

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import choice_index
from normquiz.bank.loader import load_bank
from normquiz.progress.scheduler import EASY, GOOD, HARD
from normquiz.quiz.kinds import LETTERS
from normquiz.quiz.outcome import Outcome
from normquiz.quiz.session import Session
from normquiz.quiz.terminal import run_terminal

BANK = load_bank(use_env=False)
UP, DOWN, ENTER, BACKSPACE, CTRL_C, CTRL_D = "\x1b[A", "\x1b[B", "\r", "\x7f", "\x03", "\x04"
SUBMIT = "\x1b\r"  # Esc then Enter: submits a multi-line (short) answer


def drive(ids: list[str], keys: str) -> tuple[dict, list[Outcome]]:
    recorded: list[Outcome] = []
    session = Session([BANK.by_id[i] for i in ids], save=recorded.append)
    with create_pipe_input() as pipe:
        pipe.send_text(keys + ENTER)  # closes the last "see the summary / prove" menu, if shown
        result = run_terminal(session, input=pipe, output=DummyOutput())
    return result.as_json(), recorded


def test_single_choice_by_arrows_and_by_letter() -> None:
    first, second = (
        choice_index(BANK.by_id["bn-momentum-rule"]),
        choice_index(BANK.by_id["bn-eps-role"]),
    )
    keys = DOWN + DOWN + UP + UP + DOWN * first + ENTER + ENTER + "c" + LETTERS[second] + ENTER
    data, _ = drive(["bn-momentum-rule", "bn-eps-role"], keys)
    assert [(i["response"], i["correct"]) for i in data["items"]] == [
        (LETTERS[first], True),
        (LETTERS[second], True),
    ]


def test_wrong_single_choice() -> None:
    wrong = choice_index(BANK.by_id["bn-momentum-rule"], correct=False)
    data, recorded = drive(["bn-momentum-rule"], DOWN * wrong + ENTER)
    assert data["items"] == [
        {"id": "bn-momentum-rule", "correct": False, "response": LETTERS[wrong], "rating": 1}
    ]
    assert len(recorded) == 1


def test_multi_choice_space_and_letters_toggle() -> None:
    # a on, b on (letter), c on then off (space at cursor c): a, b
    data, _ = drive(["gn-special-cases"], "a" + "b" + "c" + " " + ENTER)
    assert data["items"][0]["response"] == ["a", "b"] and data["items"][0]["correct"]


def test_multi_choice_enter_with_nothing_selected_does_not_answer() -> None:
    data, _ = drive(["gn-special-cases"], ENTER + "c" + ENTER)
    assert data["items"][0]["response"] == ["c"] and not data["items"][0]["correct"]


def test_true_false_keys() -> None:
    data, _ = drive(["bn-one-sample-eval", "bn-no-grad-is-not-eval"], "x" + "t" + ENTER + "t")
    assert [(i["response"], i["correct"]) for i in data["items"]] == [(True, True), (True, False)]


def test_numeric_rejects_non_numbers_without_counting_them() -> None:
    keys = "12x" + ENTER + BACKSPACE * 3 + "128" + ENTER
    data, recorded = drive(["bn-params-conv-64"], keys)
    assert (
        len(recorded) == 1 and data["items"][0]["response"] == 128.0 and data["items"][0]["correct"]
    )


def test_short_answer_rubric_toggle_and_ratings() -> None:
    text = "each token is normalized on its own; padding does not matter"
    # suggestion from keywords: 2 of 4 points -> Hard; Enter accepts it
    data, _ = drive(["ln-why-transformers"], text + SUBMIT + ENTER)
    assert data["items"][0]["rating"] == HARD
    assert data["items"][0]["response"]["points"] == [True, True, False, False]
    # ticking the remaining two points raises the suggestion to Good
    data, _ = drive(["ln-why-transformers"], text + SUBMIT + DOWN + DOWN + " " + DOWN + " " + ENTER)
    assert (
        data["items"][0]["rating"] == GOOD and data["items"][0]["response"]["points"] == [True] * 4
    )
    data, _ = drive(["ln-why-transformers"], "no idea" + SUBMIT + "4")
    assert data["items"][0]["rating"] == EASY


def test_skip_and_quit() -> None:
    data, recorded = drive(
        ["bn-momentum-rule", "bn-one-sample-eval", "bn-eps-role"], "s" + "t" + ENTER + "q"
    )
    assert data["skipped"] == ["bn-momentum-rule"] and [i["id"] for i in data["items"]] == [
        "bn-one-sample-eval"
    ]
    assert len(recorded) == 1


def test_quit_from_the_continue_prompt() -> None:
    data, _ = drive(["bn-one-sample-eval", "bn-eps-role"], "t" + "q")
    assert data["answered"] == 1


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D])
def test_ctrl_c_and_ctrl_d_end_cleanly_keeping_answers(key: str) -> None:
    data, recorded = drive(
        ["bn-one-sample-eval", "bn-momentum-rule", "bn-params-conv-64"], "t" + ENTER + key
    )
    assert data["answered"] == 1 and len(recorded) == 1
    data, recorded = drive(["bn-params-conv-64", "bn-one-sample-eval"], "128" + ENTER + ENTER + key)
    assert data["answered"] == 1 and len(recorded) == 1


def test_help_key_does_not_answer() -> None:
    data, _ = drive(["bn-momentum-rule"], "?" + "?" + "a" + ENTER)
    assert data["items"][0]["response"] == "a"


def test_p_after_an_answer_runs_the_proof_then_continues(monkeypatch: pytest.MonkeyPatch) -> None:
    proved: list[str] = []
    monkeypatch.setattr(
        "normquiz.quiz.prove.Prover.prove",
        lambda self, question: proved.append(question.id) or [("", "proof\n")],
    )
    data, _ = drive(
        ["bn-params-conv-64", "bn-one-sample-eval"], "128" + ENTER + "p" + "p" + ENTER + "t"
    )
    assert proved == ["bn-params-conv-64", "bn-params-conv-64"] and data["answered"] == 2


def test_u_after_an_answer_takes_it_back_and_asks_again() -> None:
    keys = "64" + ENTER + "u" + "128" + ENTER
    data, recorded = drive(["bn-params-conv-64"], keys)
    assert [(i["response"], i["correct"]) for i in data["items"]] == [(128.0, True)]
    assert [o.response for o in recorded] == [64.0, 128.0]  # both were saved; the first undone


def test_a_short_answer_takes_several_lines() -> None:
    lines = "each token is normalized" + ENTER + "on its own; padding does not matter"
    data, _ = drive(["ln-why-transformers"], lines + SUBMIT + ENTER)
    response = data["items"][0]["response"]
    assert response["text"] == "each token is normalized\non its own; padding does not matter"
    assert response["points"] == [True, True, False, False]
