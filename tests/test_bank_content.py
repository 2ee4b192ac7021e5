"""The bundled bank meets its bar: every content-brief id taught, myths busted, answers proved."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO
from normquiz.bank.loader import Bank, load_bank
from normquiz.bank.schema import Numeric, SingleChoice, TrueFalse

BRIEF = REPO.parent / "shared" / "content-brief.md"
BRIEF_COPY = Path(__file__).with_name("brief_ids.txt")
BRIEF_ROW = re.compile(r"^\|\s*([SEX]\d\d)\s*\|", re.MULTILINE)
PRACTICE = Path(__file__).with_name("practice_ids.txt")


def practice_ids() -> list[str]:
    """The modern-practice subject ids (P..) this project added beyond the brief."""
    lines = PRACTICE.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def brief_ids_from_brief(text: str) -> list[str]:
    return BRIEF_ROW.findall(text)


def brief_ids_from_copy() -> list[str]:
    lines = BRIEF_COPY.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def brief_ids() -> list[str]:
    """The brief's ids: from ../shared/content-brief.md when present, else the copy here."""
    if BRIEF.is_file():
        return brief_ids_from_brief(BRIEF.read_text(encoding="utf-8"))
    return brief_ids_from_copy()


@pytest.fixture(scope="module")
def bank() -> Bank:
    loaded = load_bank(use_env=False)
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded


def carriers(bank: Bank) -> dict[str, list[str]]:
    """Brief id -> ids of the questions and drills whose tags carry ``brief:<id>``."""
    items = [*bank.questions, *bank.drills.values()]
    found: dict[str, list[str]] = {}
    for item in items:
        for tag in item.tags:
            if tag.startswith("brief:"):
                found.setdefault(tag.removeprefix("brief:"), []).append(item.id)
    return found


def test_the_brief_id_list_is_read_and_the_copy_is_in_sync() -> None:
    ids = brief_ids()
    assert len(ids) == len(set(ids)) >= 70
    assert {i[0] for i in ids} == {"S", "E", "X"}
    if BRIEF.is_file():
        assert brief_ids_from_copy() == ids, f"update {BRIEF_COPY.name} from {BRIEF}"


def test_every_brief_id_is_carried_by_a_question_or_drill(bank: Bank) -> None:
    carried = carriers(bank)
    missing = [i for i in brief_ids() if i not in carried]
    assert not missing, f"brief ids taught by no question or drill: {missing}"


def test_every_practice_subject_is_carried_by_a_question(bank: Bank) -> None:
    ids = practice_ids()
    assert len(ids) == len(set(ids)) >= 20 and all(re.fullmatch(r"P\d\d", i) for i in ids)
    missing = [i for i in ids if i not in carriers(bank)]
    assert not missing, f"practice subjects taught by no question: {missing}"


def test_brief_tags_name_real_brief_ids(bank: Bank) -> None:
    unknown = sorted(set(carriers(bank)) - set(brief_ids()) - set(practice_ids()))
    assert not unknown, f"tags name ids the brief does not have: {unknown}"


def test_every_seed_mistake_has_a_myth_busting_question(bank: Bank) -> None:
    busted = {tag.removeprefix("brief:") for q in bank.questions if q.myth for tag in q.tags}
    missing = [i for i in brief_ids() if i.startswith("E") and i not in busted]
    assert not missing, f"E ids with no question whose `myth` states the false claim: {missing}"


def test_bank_size_types_and_executable_share(bank: Bank) -> None:
    questions = bank.questions
    assert len(questions) >= 228
    assert {q.type for q in questions} == {"single", "multi", "true_false", "numeric", "short"}
    assert sum(1 for q in questions if q.verify) >= 0.6 * len(questions)


def test_every_numeric_answer_is_proved(bank: Bank) -> None:
    unproved = [q.id for q in bank.questions if isinstance(q, Numeric) and not q.verify]
    assert not unproved, f"numeric questions without a verify snippet: {unproved}"


def test_difficulty_is_balanced(bank: Bank) -> None:
    levels = Counter(q.difficulty for q in bank.questions)
    shares = {level: levels[level] / len(bank.questions) for level in (1, 2, 3)}
    assert all(0.25 <= share <= 0.42 for share in shares.values()), shares


def longest_is_correct(question: SingleChoice) -> bool:
    """Whether the correct choice is strictly longer than every other."""
    lengths = [len(choice.text.strip()) for choice in question.choices]
    right = next(i for i, choice in enumerate(question.choices) if choice.correct)
    return all(lengths[right] > n for i, n in enumerate(lengths) if i != right)


def test_the_longest_choice_is_not_a_tell(bank: Bank) -> None:
    """Picking the longest option must not pass the quiz: a distractor is as careful and
    as long as the answer."""
    singles = [q for q in bank.questions if isinstance(q, SingleChoice)]
    tells = [q.id for q in singles if longest_is_correct(q)]
    assert len(tells) <= 0.4 * len(singles), f"{len(tells)} of {len(singles)}: {tells}"


def test_true_false_answers_are_balanced(bank: Bank) -> None:
    answers = [q.answer for q in bank.questions if isinstance(q, TrueFalse)]
    assert 0.4 <= sum(answers) / len(answers) <= 0.6, Counter(answers)


def test_correct_choice_positions_vary(bank: Bank) -> None:
    """Choices are shuffled when shown, but a file read top to bottom must not teach a
    position either."""
    positions = Counter(
        next(i for i, c in enumerate(q.choices) if c.correct)
        for q in bank.questions
        if isinstance(q, SingleChoice)
    )
    assert max(positions.values()) <= 0.5 * sum(positions.values()), positions


def test_the_brief_parser_reads_table_rows_only() -> None:
    text = "| id | topic |\n|---|---|\n| S01 | What BN does |\n| X17 | Folding |\nS02 in prose\n"
    assert brief_ids_from_brief(text) == ["S01", "X17"]
