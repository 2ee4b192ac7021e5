"""Pure session logic: grading, parsing typed answers, ratings, recording order."""

from __future__ import annotations

import pytest

from conftest import choice_index
from normquiz.bank.loader import load_bank
from normquiz.progress.scheduler import AGAIN, EASY, GOOD, HARD, auto_rating
from normquiz.quiz.answers import Invalid, parse_answer
from normquiz.quiz.grading import LETTERS, correct_answer, is_correct, rubric_hits, suggested_rating
from normquiz.quiz.session import Session

BANK = load_bank(use_env=False)
SINGLE = BANK.by_id["bn-momentum-rule"]
SINGLE_RIGHT, SINGLE_WRONG = choice_index(SINGLE), choice_index(SINGLE, correct=False)
MULTI = BANK.by_id["gn-special-cases"]           # a), b) correct
TF = BANK.by_id["bn-one-sample-eval"]            # true
NUM = BANK.by_id["bn-running-mean-one-step"]     # 0.5, abs_tol 1e-6
SHORT = BANK.by_id["ln-why-transformers"]


def test_grading_each_type() -> None:
    assert is_correct(SINGLE, SINGLE_RIGHT) and not is_correct(SINGLE, SINGLE_WRONG)
    assert is_correct(MULTI, (0, 1)) and not is_correct(MULTI, (0,)) and not is_correct(MULTI, (0, 1, 2))
    assert is_correct(TF, True) and not is_correct(TF, False)
    assert is_correct(NUM, 0.5000001) and not is_correct(NUM, 0.51)
    assert correct_answer(MULTI).startswith("a) ") and "b) " in correct_answer(MULTI)


def test_numeric_tolerances_either_suffices() -> None:
    rel = NUM.model_copy(update={"abs_tol": None, "rel_tol": 0.1})
    assert rel.accepts(0.54) and not rel.accepts(0.56)


@pytest.mark.parametrize("question, line, expected", [
    (SINGLE, "B", 1), (SINGLE, " a ", 0), (MULTI, "a,c", (0, 2)), (MULTI, "c, a, a", (0, 2)),
    (MULTI, "a c", (0, 2)), (TF, "t", True), (TF, "False", False), (NUM, "1e-5", 1e-5),
    (NUM, "1,000", 1000.0), (NUM, "-0.5", -0.5), (SHORT, "batch independence", "batch independence"),
])
def test_parse_valid_answers(question, line: str, expected: object) -> None:
    assert parse_answer(question, line) == expected


@pytest.mark.parametrize("question, line", [
    (SINGLE, "e"), (SINGLE, "ab"), (SINGLE, ""), (MULTI, "a,z"), (MULTI, ""), (TF, "yes"),
    (NUM, "twelve"), (NUM, "nan"), (NUM, "inf"), (NUM, "1,00"), (SHORT, "   "),
])
def test_parse_invalid_answers_say_why(question, line: str) -> None:
    result = parse_answer(question, line)
    assert isinstance(result, Invalid) and result.reason


def test_rubric_keywords_pre_tick_points() -> None:
    ticks = rubric_hits(SHORT, "LN is per-token, so padding of variable-length batches is harmless")
    assert ticks[:2] == [True, True] and len(ticks) == len(SHORT.rubric)
    assert rubric_hits(SHORT, "it normalizes stuff") == [False] * len(SHORT.rubric)


def test_suggested_and_automatic_ratings() -> None:
    assert suggested_rating([True, True]) == GOOD
    assert suggested_rating([True, False]) == HARD
    assert suggested_rating([True, False, False]) == AGAIN
    assert auto_rating("single", False, 1.0) == AGAIN
    assert auto_rating("single", True, 3.0) == EASY
    assert auto_rating("single", True, 30.0) == GOOD
    assert auto_rating("numeric", True, 15.0) == EASY


def test_session_records_each_answer_before_moving_on() -> None:
    seen: list[tuple[str, int]] = []
    session = Session([SINGLE, TF, NUM, SHORT], record=lambda o: seen.append((o.question.id, session.position)))
    session.answer(SINGLE_WRONG, 30.0)
    session.skip()
    session.answer(0.5, 1.0)
    session.answer_short("batch independence", [True, False, False, False], AGAIN, 5.0)
    assert seen == [(SINGLE.id, 0), (NUM.id, 2), (SHORT.id, 3)]
    result = session.result
    assert result.as_json()["items"] == [
        {"id": SINGLE.id, "correct": False, "response": LETTERS[SINGLE_WRONG], "rating": AGAIN},
        {"id": NUM.id, "correct": True, "response": 0.5, "rating": EASY},
        {"id": SHORT.id, "correct": False, "rating": AGAIN,
         "response": {"text": "batch independence", "points": [True, False, False, False]}},
    ]
    assert result.skipped == [TF.id] and result.missed == [SINGLE.id, SHORT.id]
    assert session.current is None


def test_quit_ends_early() -> None:
    session = Session([SINGLE, TF])
    session.answer(0, 1.0)
    session.quit()
    assert session.current is None and session.result.quit_early
    with pytest.raises(RuntimeError):
        session.skip()


def test_inline_markdown_styles_code_and_bold() -> None:
    from normquiz.quiz.render import inline_markdown, plain

    fragments = inline_markdown("the **new** value of `running_mean`\nis kept.")
    assert ("class:strong", "new") in fragments and ("class:code", "`running_mean`") in fragments
    assert plain(fragments) == "the new value of `running_mean` is kept."
