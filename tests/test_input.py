"""Input that never guesses: a decimal comma is refused with what was meant; Ctrl-C ends the
session at every step (keeping what was answered, printing the summary); `?` lists only the
current step's keys; an unbound key says so; wrong and ticked have different ASCII marks."""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput
from vt_screen import Term

from conftest import FIXTURE_ARGS, FIXTURE_BANK, run_cli
from normquiz.bank.loader import load_bank
from normquiz.progress.store import ProgressStore
from normquiz.quiz.kinds import Invalid, parse_number, verdict_marks
from normquiz.quiz.outcome import Outcome
from normquiz.quiz.session import Session
from normquiz.quiz.terminal import run_terminal
from normquiz.quiz.widgets import ChoiceMenu, ContinueMenu, RubricMenu, TrueFalseMenu

BANK = load_bank([FIXTURE_BANK], use_env=False)
NUMERIC, TRUE_FALSE, SHORT = "fx-bn-params", "fx-bn-one-sample", "fx-ln-why-transformers"
ENTER, CTRL_C, SUBMIT, BACKSPACE = "\r", "\x03", "\x1b\r", "\x7f"


def drive(ids: list[str], *keys: str) -> tuple[dict[str, object], list[Outcome], str]:
    """A terminal session answered with ``keys`` (each group of keys sent after the screen
    was drawn): its result, what was saved, the text shown."""
    recorded: list[Outcome] = []
    session = Session([BANK.by_id[i] for i in ids], save=recorded.append)
    shown = io.StringIO()
    with create_pipe_input() as pipe:

        def typist() -> None:
            for group in keys:
                time.sleep(0.15)
                pipe.send_text(group)

        thread = threading.Thread(target=typist)
        thread.start()
        result = run_terminal(session, input=pipe, output=PlainTextOutput(shown))
        thread.join()
    return result.as_json(), recorded, shown.getvalue()


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("0,302", "did you mean 0.302?"),
        ("2,5", "did you mean 2.5?"),
        ("-0,5", "did you mean -0.5?"),
        (",5", "did you mean 0.5?"),
        ("1,5e-3", "did you mean 1.5e-3?"),
        ("1,000", "1,000 is ambiguous: type 1000 (thousands) or 1.000 (a decimal)"),
        ("12,345", "type 12345 (thousands) or 12.345"),
        ("1,2,3", "commas only between thousands"),
    ],
)
def test_a_comma_that_may_be_a_decimal_comma_is_refused_with_what_was_meant(
    typed: str, said: str
) -> None:
    parsed = parse_number(typed)
    assert isinstance(parsed, Invalid) and said in parsed.reason


@pytest.mark.parametrize(
    ("typed", "value"),
    [("1,000,000", 1e6), ("1,000.5", 1000.5), ("1_000", 1000.0), ("0.302", 0.302), ("128", 128)],
)
def test_a_comma_that_can_only_separate_thousands_is_read(typed: str, value: float) -> None:
    assert parse_number(typed) == value


def test_plain_mode_refuses_a_decimal_comma_and_takes_the_next_line() -> None:
    result = run_cli(
        "quiz", *FIXTURE_ARGS, "--id", NUMERIC, "--plain", "--json", input="0,128\n128\n"
    )
    assert "not an answer: did you mean 0.128? Type a decimal point" in result.stderr
    [item] = json.loads(result.stdout)["items"]
    assert item["response"] == 128.0 and item["correct"]


def test_the_terminal_refuses_a_decimal_comma_without_counting_it() -> None:
    data, recorded, shown = drive([NUMERIC], "0,128" + ENTER, BACKSPACE * 5 + "128" + ENTER, ENTER)
    assert "did you mean 0.128?" in shown
    assert [o.response for o in recorded] == [128.0] and data["correct"] == 1


# --- Ctrl-C at every step ------------------------------------------------------------------


def test_ctrl_c_at_the_rating_step_ends_the_session_keeping_earlier_answers() -> None:
    keys = ("128" + ENTER, ENTER, "each token is normalized on its own" + SUBMIT, CTRL_C)
    data, recorded, shown = drive([NUMERIC, SHORT, TRUE_FALSE], *keys)
    assert [o.question.id for o in recorded] == [NUMERIC]  # the unrated answer is not saved
    assert data["answered"] == 1 and "Score: 1/1" in shown


def test_ctrl_c_while_a_proof_loads_ends_the_session_with_its_summary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(self: object, question: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("normquiz.quiz.prove.Prover.prove", interrupted)
    data, recorded, shown = drive([NUMERIC, TRUE_FALSE], "128" + ENTER, "p")
    assert len(recorded) == 1 and data["answered"] == 1 and "Score: 1/1" in shown
    plain = run_cli("quiz", *FIXTURE_ARGS, "--id", NUMERIC, "--id", TRUE_FALSE, input="128\np\n")
    assert plain.returncode == 0 and "Score: 1/1" in plain.stdout


def test_a_decimal_comma_then_ctrl_c_at_the_rating_step_in_a_terminal(isolated_home: Path) -> None:
    term = Term("quiz", *FIXTURE_ARGS, "--id", NUMERIC, "--id", SHORT, rows=30, columns=80)
    term.wait_for("Your answer (a number")
    term.send("0,128\r")  # a decimal comma: refused with what was meant, not counted
    term.wait_for("did you mean 0.128? Type a decimal point, not a comma")
    term.send("\x15128\r")  # Ctrl-U clears the line
    term.wait_for("Enter: next question")
    term.send("\r")
    term.wait_for("Esc then Enter submits")
    term.send("each token is normalized on its own\x1b\r")
    term.wait_for("Rate yourself")
    term.send(CTRL_C)
    term.wait_for("Score: 1/1")
    assert term.finish() == 0
    with ProgressStore.open(isolated_home) as store:
        assert [review.item_id for review in store.reviews()] == [NUMERIC]


def test_ctrl_c_at_the_rating_step_in_plain_mode(isolated_home: Path) -> None:
    term = Term("quiz", *FIXTURE_ARGS, "--id", NUMERIC, "--id", SHORT, term="dumb")
    term.child.expect(r"answer \(a number")
    term.send("128\r")
    term.child.expect(r"answer \(your answer")
    term.send("each token is normalized on its own\r.\r")
    term.child.expect("rate yourself")
    term.send(CTRL_C)
    term.child.expect("Score: 1/1")
    assert term.finish() == 0
    with ProgressStore.open(isolated_home) as store:
        assert [review.item_id for review in store.reviews()] == [NUMERIC]


def test_ctrl_c_while_a_real_proof_loads(isolated_home: Path) -> None:
    term = Term("quiz", *FIXTURE_ARGS, "--id", NUMERIC, "--id", TRUE_FALSE, rows=30, columns=80)
    term.wait_for("Your answer (a number")
    term.send("128\r")
    term.wait_for("p: prove it with torch")
    term.send("p")
    term.wait_for("Running the proof")
    term.send(CTRL_C)
    term.wait_for("Score: 1/1")
    assert term.finish() == 0
    assert "Traceback" not in term.raw
    with ProgressStore.open(isolated_home) as store:
        assert [review.item_id for review in store.reviews()] == [NUMERIC]


def test_every_menu_ends_the_session_on_ctrl_c() -> None:
    for menu in (
        ChoiceMenu(["x", "y"], multi=False),
        TrueFalseMenu(),
        RubricMenu(["a point"], [False]),
        ContinueMenu(can_prove=True, last=False),
    ):
        steps = menu.keys()
        bound = {name for key in steps for name in key.names}
        assert {"c-c", "c-d"} <= bound, menu


# --- keys: help and unbound keys -----------------------------------------------------------


def test_help_lists_only_the_keys_of_the_current_step() -> None:
    rubric = RubricMenu(["first", "second"], [True, False]).help_text()
    assert "1-4 rate" in rubric and "Space" in rubric and "Ctrl-C" in rubric
    assert "s skip" not in rubric and "q quit" not in rubric
    choice = ChoiceMenu(["x", "y", "z"], multi=True).help_text()
    assert "a-c or Space toggle" in choice and "s skip" in choice and "1-4" not in choice
    tf = TrueFalseMenu().help_text()
    assert "t true" in tf and "Up/Down" not in tf and "Space" not in tf


def test_in_the_rating_step_s_is_not_a_skip_and_says_so() -> None:
    keys = ("128" + ENTER, ENTER, "no idea" + SUBMIT, "?", "s", "3", ENTER)
    data, recorded, shown = drive([NUMERIC, SHORT], *keys)
    assert "s does nothing here; ? shows the keys" in shown
    assert "1-4 rate" in shown and "Enter takes the suggestion" in shown
    assert [o.rating for o in recorded] == [recorded[0].rating, 3] and data["answered"] == 2


def test_an_unbound_key_says_so_and_changes_nothing() -> None:
    _, recorded, shown = drive([TRUE_FALSE], "x", "t", ENTER)
    assert "x does nothing here; ? shows the keys" in shown
    assert [o.response for o in recorded] == [True]


# --- marks ---------------------------------------------------------------------------------


def test_ascii_marks_tell_wrong_from_ticked() -> None:
    right, wrong = verdict_marks(unicode=False)
    assert (right, wrong) == ("[+] Right", "[-] Wrong")
    assert "[x]" not in right + wrong  # [x] means ticked, in the rubric and the choices
    result = run_cli("quiz", *FIXTURE_ARGS, "--id", NUMERIC, "--plain", input="64\n")
    assert "[-] Wrong" in result.stdout and "[x]" not in result.stdout
    ticked = run_cli(
        "quiz", *FIXTURE_ARGS, "--id", SHORT, "--plain", input="each token on its own\n.\n\n"
    )
    assert "  1. [x] " in ticked.stdout  # the point the answer states is ticked
