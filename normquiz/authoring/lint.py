"""``normquiz lint``: every problem in the bank, strictly, with counts for authors."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from normquiz.authoring.prose import prose_problems
from normquiz.bank.drill_schema import Drill
from normquiz.bank.errors import field_label
from normquiz.bank.loader import Bank, drill_files, load_bank
from normquiz.bank.schema import Question
from normquiz.drills.registry import CASE_GENERATORS, REFERENCES
from normquiz.exceptions import Problem

Progress = Callable[[str], None]


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


def lint_bank(
    extra: Sequence[Path] = (),
    *,
    use_env: bool = True,
    bundled: bool = True,
    execute: bool = False,
    progress: Progress = lambda _: None,
) -> LintReport:
    """Load strictly and run the cross-item checks the loader cannot do alone; with
    ``execute``, also run every verify snippet and drill file through the sandbox."""
    bank = load_bank(extra, use_env=use_env, bundled=bundled)
    problems = list(bank.problems)
    if execute:
        from normquiz.authoring.execute import exec_problems

        problems += exec_problems(bank, progress)
    for item in [*bank.questions, *bank.drills.values()]:
        problems.extend(item_problems(bank, item))
    return _report(bank, problems)


def _report(bank: Bank, problems: list[Problem]) -> LintReport:
    questions = bank.questions
    return LintReport(
        questions=len(questions),
        drills=len(bank.drills),
        by_type=dict(sorted(Counter(q.type for q in questions).items())),
        by_topic=dict(sorted(Counter(q.topic for q in questions).items())),
        by_difficulty={
            str(d): n for d, n in sorted(Counter(q.difficulty for q in questions).items())
        },
        with_verify=sum(1 for q in questions if q.proved),  # proofs, not illustrations
        problems=sorted(problems, key=lambda p: (p.file, p.line, p.column)),
    )


def item_problems(bank: Bank, item: Question | Drill) -> list[Problem]:
    """What lint reports about one question or drill, located at its start."""
    location = bank.locations[item.id]
    found = [(field, message) for field, message in _related_problems(bank, item)]
    found += drill_problems(bank, item) if isinstance(item, Drill) else item.author_problems()
    found += prose_problems(item)
    return [
        Problem(location.file, *location.of_field(field), message, item.id, field)
        for field, message in found
    ]


def _related_problems(bank: Bank, item: Question | Drill) -> list[tuple[str, str]]:
    found = [
        ("related", f"related id '{rid}' is not a question or drill in the loaded banks")
        for rid in item.related
        if rid not in bank.by_id and rid not in bank.drills
    ]
    if item.id in item.related:
        found.append(("related", f"a {item.kind} cannot be related to itself"))
    return found


def drill_problems(bank: Bank, drill: Drill) -> list[tuple[str, str]]:
    """Files that must exist, names that must resolve, ids that must be unique."""
    paths = [
        (field_label(key), bank.drill_file(drill.id, relative))
        for key, relative in drill_files(drill)
    ]
    found = [(name, f"file not found: {path}") for name, path in paths if not os.path.exists(path)]
    found += [
        (name, f"not a regular file: {path}")
        for name, path in paths
        if os.path.exists(path) and not os.path.isfile(path)
    ]
    if isinstance(drill.reference, str) and drill.reference not in REFERENCES:
        found.append(
            ("reference", f"unknown reference '{drill.reference}'; known: {', '.join(REFERENCES)}")
        )
    if isinstance(drill.cases, str) and drill.cases not in CASE_GENERATORS:
        found.append(
            (
                "cases",
                f"unknown case generator '{drill.cases}'; known: {', '.join(CASE_GENERATORS)}",
            )
        )
    declared = [] if isinstance(drill.cases, str) else drill.cases
    if isinstance(drill.reference, str) and any(case.kwargs for case in declared):
        found.append(("cases", "a built-in reference reads positional args only: no kwargs"))
    ids = [m.id for m in drill.mistakes]
    found += [
        ("mistakes", f"mistake id '{m}' appears twice")
        for m in sorted(set(ids))
        if ids.count(m) > 1
    ]
    return found
