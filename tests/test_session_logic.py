"""Pure session logic: grading, parsing typed answers, ratings, recording order."""

from __future__ import annotations

import pytest

from conftest import choice_index
from normquiz.bank.loader import load_bank
from normquiz.progress.scheduler import AGAIN, EASY, GOOD, HARD
from normquiz.quiz.kinds import (
    KINDS,
    LETTERS,
    Invalid,
    SelfRating,
    kind_of,
    rubric_hits,
    suggested_rating,
)
from normquiz.quiz.layout import Fragments
from normquiz.quiz.session import Session

BANK = load_bank(use_env=False)
SINGLE = BANK.by_id["bn-momentum-rule"]
SINGLE_RIGHT, SINGLE_WRONG = choice_index(SINGLE), choice_index(SINGLE, correct=False)
MULTI = BANK.by_id["gn-special-cases"]  # a), b) correct
TF = BANK.by_id["bn-one-sample-eval"]  # true
NUM = BANK.by_id["bn-running-mean-one-step"]  # 0.5, abs_tol 1e-6
SHORT = BANK.by_id["ln-why-transformers"]


def is_correct(question, response) -> bool:
    return kind_of(question).is_correct(question, response)


def test_grading_each_type() -> None:
    assert is_correct(SINGLE, SINGLE_RIGHT) and not is_correct(SINGLE, SINGLE_WRONG)
    assert (
        is_correct(MULTI, (0, 1))
        and not is_correct(MULTI, (0,))
        and not is_correct(MULTI, (0, 1, 2))
    )
    assert is_correct(TF, True) and not is_correct(TF, False)
    assert is_correct(NUM, 0.5000001) and not is_correct(NUM, 0.51)
    answer = kind_of(MULTI).answer_text(MULTI)
    assert answer.startswith("a) ") and "b) " in answer


def test_every_schema_type_has_exactly_one_kind() -> None:
    from normquiz.bank.schema import QUESTION_TYPES

    assert set(KINDS) == set(QUESTION_TYPES)
    assert all(kind.type == name and kind.label for name, kind in KINDS.items())


def test_numeric_tolerances_either_suffices() -> None:
    rel = NUM.model_copy(update={"abs_tol": None, "rel_tol": 0.1})
    assert rel.accepts(0.54) and not rel.accepts(0.56)


@pytest.mark.parametrize(
    "question, line, expected",
    [
        (SINGLE, "B", 1),
        (SINGLE, " a ", 0),
        (MULTI, "a,c", (0, 2)),
        (MULTI, "c, a, a", (0, 2)),
        (MULTI, "a c", (0, 2)),
        (TF, "t", True),
        (TF, "False", False),
        (NUM, "1e-5", 1e-5),
        (NUM, "1,000,000", 1e6),  # a lone "1,000" is ambiguous (tests/test_input.py)
        (NUM, "-0.5", -0.5),
        (SHORT, "batch independence", "batch independence"),
    ],
)
def test_parse_valid_answers(question, line: str, expected: object) -> None:
    assert kind_of(question).parse(question, line) == expected


@pytest.mark.parametrize(
    "question, line",
    [
        (SINGLE, "e"),
        (SINGLE, "ab"),
        (SINGLE, ""),
        (MULTI, "a,z"),
        (MULTI, ""),
        (TF, "yes"),
        (NUM, "twelve"),
        (NUM, "nan"),
        (NUM, "inf"),
        (NUM, "1,00"),
        (SHORT, "   "),
    ],
)
def test_parse_invalid_answers_say_why(question, line: str) -> None:
    result = kind_of(question).parse(question, line)
    assert isinstance(result, Invalid) and result.reason


def test_rubric_keywords_pre_tick_points() -> None:
    ticks = rubric_hits(SHORT, "LN is per-token, so padding of variable-length batches is harmless")
    assert ticks[:2] == [True, True] and len(ticks) == len(SHORT.rubric)
    assert rubric_hits(SHORT, "it normalizes stuff") == [False] * len(SHORT.rubric)


def test_suggested_and_automatic_ratings() -> None:
    assert suggested_rating([True, True]) == GOOD
    assert suggested_rating([True, False]) == HARD
    assert suggested_rating([True, False, False]) == AGAIN
    assert KINDS["single"].auto_rating(False, 1.0) == AGAIN
    assert KINDS["single"].auto_rating(True, 3.0) == EASY
    assert KINDS["single"].auto_rating(True, 30.0) == GOOD
    assert KINDS["numeric"].auto_rating(True, 15.0) == EASY
    assert KINDS["true_false"].auto_rating(True, 7.0) == GOOD


class ScriptedRater:
    """A front end that shows nothing and rates with a fixed answer."""

    def __init__(self, rating: int) -> None:
        self.rating, self.shown = rating, []

    def show(self, fragments: Fragments) -> None:
        self.shown.append(fragments)

    def rate(self, points: list[str], ticks: list[bool], suggestion: int) -> SelfRating:
        return SelfRating([True] + [False] * (len(points) - 1), self.rating)


def answer(session: Session, response: object, seconds: float, rater: ScriptedRater):
    """What a front end does with a parsed response: the current question's kind concludes."""
    question = session.current
    return kind_of(question).conclude(question, response, seconds, session, rater)


def test_session_records_each_answer_before_moving_on() -> None:
    seen: list[tuple[str, int]] = []
    session = Session(
        [SINGLE, TF, NUM, SHORT], save=lambda o: seen.append((o.question.id, session.position))
    )
    rater = ScriptedRater(AGAIN)
    answer(session, SINGLE_WRONG, 30.0, rater)
    session.skip()
    answer(session, 0.5, 1.0, rater)
    answer(session, "batch independence", 5.0, rater)
    assert rater.shown and "Model answer" in rater.shown[0][0][1]
    assert seen == [(SINGLE.id, 0), (NUM.id, 2), (SHORT.id, 3)]
    result = session.result
    assert result.as_json()["items"] == [
        {"id": SINGLE.id, "correct": False, "response": LETTERS[SINGLE_WRONG], "rating": AGAIN},
        {"id": NUM.id, "correct": True, "response": 0.5, "rating": EASY},
        {
            "id": SHORT.id,
            "correct": False,
            "rating": AGAIN,
            "response": {"text": "batch independence", "points": [True, False, False, False]},
        },
    ]
    assert result.skipped == [TF.id] and result.missed == [SINGLE.id, SHORT.id]
    assert session.current is None


def test_quit_ends_early() -> None:
    session = Session([SINGLE, TF])
    answer(session, 0, 1.0, ScriptedRater(GOOD))
    session.quit()
    assert session.current is None and session.result.quit_early
    with pytest.raises(RuntimeError):
        session.skip()


def test_markdown_styles_code_and_bold() -> None:
    from normquiz.quiz.layout import plain
    from normquiz.quiz.markdown import markdown

    fragments = markdown("the **new** value of `running_mean`\nis kept.")
    assert ("class:strong", "new") in fragments and ("class:code", "`running_mean`") in fragments
    assert plain(fragments) == "the new value of `running_mean` is kept.\n"


def test_powers_in_code_are_never_bold_and_fences_render_as_code() -> None:
    from normquiz.quiz.layout import plain, wrap
    from normquiz.quiz.markdown import CODE_BLOCK, markdown

    text = (
        "The variance is `0.001**2` = 1e-6 and the weight `0.9**50` is 0.5%.\n\n"
        "```python\nx = torch.randn(4, 3)  # a long line of code that a wrap must not break\n"
        "y = x**2\n```\n"
    )
    fragments = markdown(text)
    assert ("class:code", "`0.001**2`") in fragments and ("class:code", "`0.9**50`") in fragments
    assert not any(style == "class:strong" for style, _ in fragments)
    code = [text for style, text in fragments if style == CODE_BLOCK]
    assert code == [
        "    x = torch.randn(4, 3)  # a long line of code that a wrap must not break\n",
        "    y = x**2\n",
    ]
    assert "```" not in plain(fragments)
    assert [t for s, t in wrap(fragments, 30) if s == CODE_BLOCK] == code


def test_lists_keep_their_markers_and_paragraphs_are_reflowed() -> None:
    from normquiz.quiz.layout import plain
    from normquiz.quiz.markdown import markdown

    text = "One line\nand the next.\n\n- first *point*\n- second\n\n3. three\n4. four\n"
    assert plain(markdown(text)) == (
        "One line and the next.\n\n- first point\n- second\n\n3. three\n4. four\n"
    )
    assert ("class:em", "point") in markdown(text)
