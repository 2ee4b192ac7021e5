"""``normquiz new question``: append a commented, valid template to a bank file.

The template passes ``lint`` as written; every text an author must replace starts with
``TODO:`` so that it is easy to find (and to grep for before sharing a bank)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from normquiz.bank.fields import SLUG_PATTERN
from normquiz.bank.loader import load_bank, load_file
from normquiz.bank.schema import QUESTION_TYPES, SCHEMA_VERSION
from normquiz.exceptions import BankError, Problem, UsageError
from normquiz.paths import bundled_questions_dir, display_path

TODO_MARK = "TODO:"
_ITEM_START = re.compile(r"^( *)- id:", re.M)

_COMMON = """\
- id: {id}  # never change it once you review with it: progress is keyed by id
  type: {type}
  topic: {topic}
  tags: [todo]  # a single word or a list
  difficulty: 1  # 1 (recall), 2 (apply), 3 (explain or derive)
  prompt: |
    TODO: the question, in Markdown (`code` in backticks).
"""

_BODIES = {
    "single": """\
  choices:  # exactly one correct; each wrong choice says why in `feedback`
    - text: "TODO: the correct choice"
      correct: true
    - text: "TODO: a tempting wrong choice"
      feedback: "TODO: why it is wrong"
""",
    "multi": """\
  choices:  # one or more correct; each wrong choice says why in `feedback`
    - text: "TODO: a correct choice"
      correct: true
    - text: "TODO: another correct choice"
      correct: true
    - text: "TODO: a tempting wrong choice"
      feedback: "TODO: why it is wrong"
""",
    "true_false": """\
  answer: true  # or false
""",
    "numeric": """\
  value: 0  # TODO: the number
  abs_tol: 0  # accepted within abs_tol or rel_tol (either suffices); 0 for an exact count
  # rel_tol: 0.01
  # unit: parameters
""",
    "short": """\
  model_answer: |
    TODO: the answer you would give in an interview.
  rubric:  # a point is ticked when the answer states one of its keywords
    - point: "TODO: the first thing a good answer states"
      keywords: [first key phrase]
    - point: "TODO: the second thing a good answer states"
      keywords: [second key phrase]
      # unless: [phrase that contradicts it]
  samples:  # lint grades these: good ones tick every point, bad ones fewer than half
    good:
      - "TODO: a good answer gives the first key phrase and the second key phrase."
      - "TODO: plainer words, still with the second key phrase and the first key phrase."
    bad:
      - "TODO: the myth, stating neither point."
      - "TODO: a swapped or negated pair."
""",
}

_END = """\
  explanation: |
    TODO: why the answer is right, and why the tempting wrong answer is wrong.
  # myth: the misconception this question targets
  references:  # a paper (title, authors, year) or a documentation page (title, url)
    - title: "TODO: the page or paper that backs the answer"
      url: https://example.org/TODO
  # verify: |  # a torch snippet `normquiz lint --exec` runs to prove the answer
  #   import torch
  #   answer = ...
"""


@dataclass(frozen=True)
class NewItem:
    """Where a template went: its file, the line of its ``- id:``, and its id."""

    file: Path
    line: int
    item_id: str
    created: bool

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}"


def template(question_type: str, topic: str, item_id: str, indent: int = 2) -> str:
    """The commented template of one question, indented as a ``questions:`` item."""
    if question_type not in QUESTION_TYPES:
        known = ", ".join(QUESTION_TYPES)
        raise UsageError(f"unknown question type {question_type!r}; known: {known}")
    text = _COMMON.format(id=item_id, type=question_type, topic=topic)
    text += _BODIES[question_type] + _END
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def file_header(kind: str = "questions") -> str:
    """The first lines of a new bank file: the editor's schema, the version, the section."""
    schema = bundled_questions_dir() / "schema" / f"{kind}.schema.json"
    return f"# yaml-language-server: $schema={schema}\nschema_version: {SCHEMA_VERSION}\n{kind}:\n"


def new_question(
    bank_dir: Path, question_type: str, topic: str, item_id: str | None = None
) -> NewItem:
    """Append a template to ``bank_dir/TOPIC.yaml`` (created if missing); never leave a
    file the loader cannot read."""
    _check_slug("topic", topic)
    if item_id is not None:
        _check_slug("id", item_id)
    if bank_dir.exists() and not bank_dir.is_dir():
        raise UsageError(f"--bank must be a directory, {bank_dir} is a file")
    chosen = _free_id(bank_dir, item_id or f"{topic}-{question_type.replace('_', '-')}")
    if item_id is not None and chosen != item_id:
        raise UsageError(f"id {item_id!r} is already used in the loaded banks; give another --id")
    bank_dir.mkdir(parents=True, exist_ok=True)
    return _append(bank_dir / f"{topic}.yaml", question_type, topic, chosen)


def _check_slug(what: str, value: str) -> None:
    if not re.match(SLUG_PATTERN, value):
        raise UsageError(
            f"{what} {value!r} must be lowercase letters and digits joined by - _ or ."
        )


def _free_id(bank_dir: Path, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3``... the first not used in any loaded bank."""
    banks = [bank_dir] if bank_dir.exists() else []
    used = load_bank(banks, use_env=False).locations
    candidate, number = wanted, 1
    while candidate in used:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def _append(path: Path, question_type: str, topic: str, item_id: str) -> NewItem:
    created = not path.exists()
    before = "" if created else path.read_text(encoding="utf-8")
    head = file_header() if created else before + ("" if before.endswith("\n") else "\n")
    head += "" if created or head.endswith("\n\n") else "\n"
    indent = _item_indent(before)
    path.write_text(head + template(question_type, topic, item_id, indent), encoding="utf-8")
    loaded = load_file(path)
    if loaded.problems or item_id not in {q.id for q, _ in loaded.questions}:
        _restore(path, before, created)
        raise BankError([_not_appended(path, loaded.problems)])
    return NewItem(path, head.count("\n") + 1, item_id, created)


def _item_indent(text: str) -> int:
    """The indentation of the file's first list item (2 in a new file)."""
    match = _ITEM_START.search(text)
    return len(match.group(1)) if match else 2


def _restore(path: Path, before: str, created: bool) -> None:
    if created:
        path.unlink()
    else:
        path.write_text(before, encoding="utf-8")


def _not_appended(path: Path, problems: list[Problem]) -> Problem:
    why = f" (with the template: {problems[0].message})" if problems else ""
    return Problem(
        display_path(path),
        1,
        1,
        "cannot append a question, the file is unchanged: `questions:` must be its last "
        f"section, a block list (items starting with `- `){why}",
    )
