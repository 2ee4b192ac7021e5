"""`lint --exec`: run every verify snippet and every drill's files through the sandbox."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from normquiz.authoring.proofs import PROOFS, run_verify, verify_problem
from normquiz.bank.drill_schema import Drill
from normquiz.bank.errors import field_label
from normquiz.bank.loader import Bank, drill_files
from normquiz.drills.check import check_file, read_submission, reference_failed
from normquiz.drills.worker import grading_worker
from normquiz.exceptions import Problem, UsageError
from normquiz.sandbox.client import SandboxWorker

Progress = Callable[[str], None]


def exec_problems(bank: Bank, progress: Progress) -> list[Problem]:
    """Every problem the executable answers and drill files show, in one worker."""
    with grading_worker(PROOFS) as worker:
        return _question_problems(bank, worker, progress) + _drill_problems(bank, worker, progress)


def _question_problems(bank: Bank, worker: SandboxWorker, progress: Progress) -> list[Problem]:
    problems: list[Problem] = []
    for question in bank.questions:
        if question.verify:
            progress(question.id)
            message = verify_problem(question, run_verify(worker, question.verify))
            if message:
                problems.append(_problem(bank, question.id, "verify", message))
    return problems


def _drill_problems(bank: Bank, worker: SandboxWorker, progress: Progress) -> list[Problem]:
    problems: list[Problem] = []
    for drill in bank.drills.values():
        progress(drill.id)
        problems += [
            _problem(bank, drill.id, field, message)
            for field, message in drill_exec_problems(bank, drill, worker)
        ]
    return problems


def drill_exec_problems(bank: Bank, drill: Drill, worker: SandboxWorker) -> list[tuple[str, str]]:
    """The solution must pass, the starter must not, each mistake must be diagnosed as itself."""
    paths = [(field_label(key), bank.drill_file(drill.id, rel)) for key, rel in drill_files(drill)]
    if not all(os.path.isfile(path) for _, path in paths):
        return []  # lint's own checks report a missing file
    return _unreadable_files(paths) or _graded_problems(bank, drill, worker)


def _graded_problems(bank: Bank, drill: Drill, worker: SandboxWorker) -> list[tuple[str, str]]:
    found = []
    solution = check_file(bank, drill, bank.drill_file(drill.id, drill.solution), worker)
    if reference_failed(solution):
        return [("reference", solution.verdict.message)]
    if not solution.passed:
        found.append(
            ("solution", "the reference solution does not pass: " + solution.verdict.message)
        )
    starter = check_file(bank, drill, bank.drill_file(drill.id, drill.starter), worker)
    if starter.passed:
        found.append(("starter", "the starter passes untouched"))
    for index, mistake in enumerate(drill.mistakes):
        result = check_file(bank, drill, bank.drill_file(drill.id, mistake.file), worker)
        ids = result.diagnosis_ids
        if result.passed or ids != [mistake.id]:
            found.append(
                (
                    f"mistakes[{index}]",
                    f"mistake '{mistake.id}' gave {result.status} "
                    f"with diagnosis {ids or 'none'}; it must fail and be diagnosed as itself",
                )
            )
    return found


def _unreadable_files(paths: list[tuple[str, Path]]) -> list[tuple[str, str]]:
    """The files the grader refuses to read (too big, not readable), each with why."""
    found = []
    for field, path in paths:
        try:
            read_submission(path)
        except UsageError as error:
            found.append((field, f"cannot be checked: {error}"))
    return found


def _problem(bank: Bank, item_id: str, field: str, message: str) -> Problem:
    location = bank.locations[item_id]
    return Problem(location.file, *location.of_field(field), message, item_id, field)
