"""``normquiz lint``: every problem in the bank, strictly, with counts for authors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from normquiz.bank.loader import Bank, load_bank
from normquiz.bank.schema import MultiChoice, Question, SingleChoice
from normquiz.drills.registry import CASE_GENERATORS, REFERENCES
from normquiz.drills.schema import Drill
from normquiz.exceptions import Problem


@dataclass
class LintReport:
    questions: int
    drills: int
    by_type: dict[str, int]
    by_topic: dict[str, int]
    by_difficulty: dict[str, int]
    with_verify: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        return {
            "questions": self.questions,
            "drills": self.drills,
            "by_type": self.by_type,
            "by_topic": self.by_topic,
            "by_difficulty": self.by_difficulty,
            "with_verify": self.with_verify,
            "problems": [p.as_json() for p in self.problems],
        }


def lint_bank(extra: Sequence[Path] = (), *, use_env: bool = True, execute: bool = False,
              progress=lambda _: None) -> LintReport:
    """Load strictly and run the cross-question checks the loader cannot do alone;
    with ``execute``, also run every verify snippet and drill file through the sandbox."""
    bank = load_bank(extra, use_env=use_env)
    problems = list(bank.problems)
    if execute:
        from normquiz.bank.execute import exec_problems
        from normquiz.sandbox.client import GradingWorker

        with GradingWorker() as worker:
            problems += exec_problems(bank, worker, progress)
    for question in bank.questions:
        problems.extend(_question_problems(bank, question))
    for drill in bank.drills.values():
        problems.extend(drill_problems(bank, drill))
    questions = bank.questions
    return LintReport(
        questions=len(questions),
        drills=len(bank.drills),
        by_type=dict(sorted(Counter(q.type for q in questions).items())),
        by_topic=dict(sorted(Counter(q.topic for q in questions).items())),
        by_difficulty={str(d): n for d, n in sorted(Counter(q.difficulty for q in questions).items())},
        with_verify=sum(1 for q in questions if q.verify),
        problems=sorted(problems, key=lambda p: (p.file, p.line, p.column)),
    )


def _question_problems(bank: Bank, question: Question) -> list[Problem]:
    location = bank.locations[question.id]

    def problem(message: str, field_name: str) -> Problem:
        return Problem(location.file, location.line, location.column, message, question.id,
                       field_name)

    found = _related_problems(bank, question.id, question.related, problem)
    if question.id in question.related:
        found.append(problem("a question cannot be related to itself", "related"))
    found += [problem(message, "verify") for message in _verify_problems(question)]
    found += [problem(message, "choices") for message in _choice_problems(question)]
    return found


def _related_problems(bank: Bank, item_id: str, related, problem) -> list[Problem]:
    return [problem(f"related id '{rid}' is not a question or drill in the loaded banks", "related")
            for rid in related if rid not in bank.by_id and rid not in bank.drills]


def drill_problems(bank: Bank, drill: Drill) -> list[Problem]:
    """Files that must exist, names that must resolve, ids that must be unique."""
    location = bank.locations[drill.id]

    def problem(message: str, field_name: str) -> Problem:
        return Problem(location.file, location.line, location.column, message, drill.id, field_name)

    found = _related_problems(bank, drill.id, drill.related, problem)
    files = [("starter", drill.starter), ("solution", drill.solution)]
    files += [(f"mistakes[{i}].file", m.file) for i, m in enumerate(drill.mistakes)]
    files = [(name, bank.drill_file(drill.id, relative)) for name, relative in files]
    found += [problem(f"file not found: {path}", name) for name, path in files if not path.is_file()]
    if drill.reference not in REFERENCES:
        found.append(problem(f"unknown reference '{drill.reference}'; known: {', '.join(REFERENCES)}",
                             "reference"))
    if drill.cases not in CASE_GENERATORS:
        found.append(problem(f"unknown case generator '{drill.cases}'; known: "
                             f"{', '.join(CASE_GENERATORS)}", "cases"))
    ids = [m.id for m in drill.mistakes]
    found += [problem(f"mistake id '{m}' appears twice", "mistakes") for m in set(ids) if ids.count(m) > 1]
    return found


def _verify_problems(question: Question) -> list[str]:
    if not question.verify:
        return []
    try:
        compile(question.verify, f"<verify of {question.id}>", "exec")
    except SyntaxError as error:
        return [f"verify does not compile: {error.msg} (snippet line {error.lineno}, "
                f"column {error.offset})"]
    except ValueError as error:  # e.g. null bytes
        return [f"verify does not compile: {error}"]
    return []


def _choice_problems(question: Question) -> list[str]:
    """Choices are distinct, and every wrong choice says why it is wrong."""
    if not isinstance(question, SingleChoice | MultiChoice):
        return []
    texts = Counter(choice.text.strip() for choice in question.choices)
    found = [f"choice '{text}' appears {n} times" for text, n in texts.items() if n > 1]
    found += [f"choices[{i}] is wrong but has no `feedback` saying why"
              for i, choice in enumerate(question.choices)
              if not choice.correct and not choice.feedback]
    return found
