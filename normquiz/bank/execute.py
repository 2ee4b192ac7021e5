"""`lint --exec`: run every verify snippet and every drill's files through the sandbox."""

from __future__ import annotations

from collections.abc import Callable

from normquiz.bank.loader import Bank
from normquiz.bank.schema import Numeric, Question, TrueFalse
from normquiz.drills.check import check_file
from normquiz.drills.schema import Drill
from normquiz.exceptions import Problem
from normquiz.sandbox.client import GradingWorker

Progress = Callable[[str], None]


def run_verify(worker: GradingWorker, code: str, timeout: float = 60.0) -> dict:
    return worker.request({"op": "verify", "code": code, "timeout": timeout})


def verify_problem(question: Question, result: dict) -> str | None:
    """Why a verify run disagrees with the question, or None when it proves it."""
    if result["status"] == "timeout":
        return "verify timed out"
    if result["status"] == "error":
        return "verify failed: " + result.get("error", "").replace("\n", " | ")
    answer = result.get("answer")
    if isinstance(question, Numeric):
        if not isinstance(answer, (int, float)) or isinstance(answer, bool):
            return "a numeric question's verify must set `answer` to the number it proves"
        if not question.accepts(float(answer)):
            return f"verify computed answer = {answer:g}, but the question says {question.value:g}"
    if isinstance(question, TrueFalse) and answer is not None and answer is not question.answer:
        return f"verify computed answer = {answer}, but the question says {question.answer}"
    return None


def exec_problems(bank: Bank, worker: GradingWorker, progress: Progress = lambda _: None) -> list[Problem]:
    problems: list[Problem] = []
    for question in bank.questions:
        if question.verify:
            progress(question.id)
            message = verify_problem(question, run_verify(worker, question.verify))
            if message:
                problems.append(_problem(bank, question.id, "verify", message))
    for drill in bank.drills.values():
        progress(drill.id)
        problems += [_problem(bank, drill.id, field, message)
                     for field, message in drill_exec_problems(bank, drill, worker)]
    return problems


def drill_exec_problems(bank: Bank, drill: Drill, worker: GradingWorker) -> list[tuple[str, str]]:
    """The solution must pass, the starter must not, each mistake must be diagnosed as itself."""
    found = []
    base = bank.drill_dirs[drill.id]
    solution = check_file(bank, drill, bank.drill_file(drill.id, drill.solution), worker)
    if solution["status"] != "pass":
        found.append(("solution", f"the reference solution does not pass: {solution['message']}"))
    starter = check_file(bank, drill, base / drill.starter, worker)
    if starter["status"] == "pass":
        found.append(("starter", "the starter passes untouched"))
    for index, mistake in enumerate(drill.mistakes):
        result = check_file(bank, drill, base / mistake.file, worker)
        ids = [d["id"] for d in result["diagnosis"]]
        if result["status"] == "pass" or ids != [mistake.id]:
            found.append((f"mistakes[{index}]", f"mistake '{mistake.id}' gave {result['status']} "
                          f"with diagnosis {ids or 'none'}; it must fail and be diagnosed as itself"))
    return found


def _problem(bank: Bank, item_id: str, field: str, message: str) -> Problem:
    location = bank.locations[item_id]
    return Problem(location.file, location.line, location.column, message, item_id, field)
