"""The installed `normquiz` in a real pseudo-terminal, answered with keys."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

from conftest import FIXTURE_ARGS, make_drill_due
from normquiz.progress.store import ProgressStore

NORMQUIZ = Path(sys.executable).with_name("normquiz")


def spawn(*args: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "100",
        "LINES": "40",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    return pexpect.spawn(
        str(NORMQUIZ), list(args), env=env, encoding="utf-8", timeout=30, dimensions=(40, 100)
    )


def test_answer_questions_with_keys_in_a_terminal(isolated_home: Path) -> None:
    child = spawn("quiz", *FIXTURE_ARGS, "--type", "numeric", "--type", "true_false", "--seed", "3")
    child.expect(r"\[1/2\](?:\x1b\[[0-9;]*m| )*\((numeric|true/false)")
    if child.match.group(1) == "numeric":
        child.expect("answer")
        answer = "128\r"
    else:
        child.expect("true")
        answer = "t"
    assert "fx-" not in child.before  # no id (every fixture id starts fx-) before the answer
    child.send(answer)
    child.expect("Right")
    child.expect(r"Question (?:\x1b\[[0-9;]*m)*([a-z0-9-]+)")  # shown with the feedback
    first = child.match.group(1)
    child.expect("Enter: next question")
    child.send("\r")
    child.expect(r"\[2/2\]")
    child.send("\x03")  # Ctrl-C ends the session; the first answer is kept
    child.expect("Score: 1/1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with ProgressStore.open(isolated_home) as store:
        [review] = store.reviews()
    assert review.item_id == first and review.correct


def test_review_offers_a_due_drill_then_goes_on(isolated_home: Path) -> None:
    make_drill_due(isolated_home)
    child = spawn("review", "-n", "1")
    child.expect("Drill due: bn-forward")
    child.expect("w watch")
    child.send("w")
    child.expect("Watching")
    child.expect("q quit")
    child.send("q")
    child.expect("Stopped watching")
    child.expect(r"\[1/1\]")  # the review goes on with the questions
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_at_a_due_drill_offer_ends_the_review(isolated_home: Path) -> None:
    make_drill_due(isolated_home)
    child = spawn("review", "-n", "1")
    child.expect("w watch")
    child.send("\x03")
    child.expect("interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
