"""Load bank files and directories into a Bank, with a location for every problem.

A session loads leniently (valid questions in, one warning per bad file); ``lint`` uses
the same result and reports every problem.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from pydantic import ValidationError

from normquiz.bank.drill_schema import Drill
from normquiz.bank.errors import (
    field_label,
    unknown_field_message,
    unknown_type_message,
    validation_problems,
)
from normquiz.bank.query import did_you_mean
from normquiz.bank.schema import QUESTION_TYPES, SCHEMA_VERSION, Question, QuestionBase
from normquiz.bank.yaml_source import PathKey, YamlDocument, read_yaml
from normquiz.exceptions import BankError, Problem, UsageError
from normquiz.paths import bundled_questions_dir, display_path, env_bank_dirs

TOP_LEVEL_KEYS = {"schema_version", "questions", "drills"}
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    column: int
    # the item's path in its file and the file's key positions, to locate a field later
    base: PathKey = ()
    positions: Mapping[PathKey, tuple[int, int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def of_field(self, label: str) -> tuple[int, int]:
        """Line and column of one of the item's fields (``samples.bad[1]``), else its own."""
        size = len(self.base)
        for path, position in self.positions.items():
            if path[:size] == self.base and field_label(path[size:]) == label:
                return position
        return (self.line, self.column)


@dataclass
class LoadedFile:
    """What one file gave: its valid questions (with locations) and its problems."""

    file: str
    questions: list[tuple[Question, Location]] = field(default_factory=list)
    drills: list[tuple[Drill, Location]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    directory: Path | None = None
    roots: tuple[Path, ...] = ()  # the directories its drill files must stay inside


@dataclass
class Bank:
    """All loaded questions, unique by id, in load order; plus every problem found."""

    by_id: dict[str, Question] = field(default_factory=dict)
    drills: dict[str, Drill] = field(default_factory=dict)
    drill_dirs: dict[str, Path] = field(default_factory=dict)  # where a drill's files live
    locations: dict[str, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def drill_file(self, drill_id: str, relative: str) -> Path:
        """A drill's file (starter, solution, mistake): relative to its manifest."""
        return self.drill_dirs[drill_id] / relative

    def find_drill(self, drill_id: str) -> Drill:
        """The drill with this id; its load problems when it was refused; a usage error
        naming the known ones otherwise."""
        drill = self.drills.get(drill_id)
        if drill is not None:
            return drill
        refused = [problem for problem in self.problems if problem.id == drill_id]
        if refused:
            raise BankError(refused)
        maybe = did_you_mean(drill_id, self.drills)  # the closest ids, or all of them
        known = ", ".join(sorted(self.drills)) or "none"
        more = " (`normquiz drill` lists them all)" if maybe else f"; drills: {known}"
        raise UsageError(f"unknown drill {drill_id!r}{maybe}{more}")

    @property
    def questions(self) -> list[Question]:
        return list(self.by_id.values())

    def problems_by_file(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            grouped[problem.file].append(problem)
        return dict(grouped)


def load_file(path: Path, roots: tuple[Path, ...] | None = None) -> LoadedFile:
    """Load one bank file. Never raises: every failure becomes a located Problem. Drill
    files must stay inside ``roots`` (default: the file's own directory)."""
    display = display_path(path)
    result = LoadedFile(display, directory=path.parent, roots=roots or drill_roots(path))
    try:
        doc = read_yaml(path, display)
    except BankError as error:
        result.problems.extend(error.problems)
        return result
    for section in _envelope_sections(doc, result.problems):
        for index, raw in enumerate(doc.data[section]):  # type: ignore[index]
            _load_item(doc, section, index, raw, result)
    return result


def load_file_strict(path: Path) -> list[Question]:
    """Load one file; raise BankError if it has any problem."""
    loaded = load_file(path)
    if loaded.problems:
        raise BankError(loaded.problems)
    return [question for question, _ in loaded.questions]


def _envelope_sections(doc: YamlDocument, problems: list[Problem]) -> list[str]:
    """Check the top level; return the sections ('questions', 'drills') holding items."""
    data = doc.data
    if not isinstance(data, dict):
        got = "a list" if isinstance(data, list) else repr(data)
        problems.append(
            Problem(
                doc.file,
                *doc.locate(()),
                "the top level must be a mapping "
                f"with `schema_version: {SCHEMA_VERSION}` and `questions:`, got {got}",
            )
        )
        return []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            message = unknown_field_message(str(key), TOP_LEVEL_KEYS)
            problems.append(Problem(doc.file, *doc.locate((key,)), message, field=str(key)))
    version_problem = _check_version(data.get("schema_version"))
    if version_problem:
        problems.append(
            Problem(
                doc.file, *doc.locate(("schema_version",)), version_problem, field="schema_version"
            )
        )
        return []
    sections = [key for key in ("questions", "drills") if key in data]
    if not sections:
        problems.append(
            Problem(
                doc.file,
                *doc.locate(()),
                "a bank file needs `questions:` (or `drills:` for a drill manifest)",
                field="questions",
            )
        )
    for key in sections:
        if not isinstance(data[key], list):
            got = "nothing" if data[key] is None else type(data[key]).__name__
            problems.append(
                Problem(
                    doc.file, *doc.locate((key,)), f"`{key}:` must be a list, got {got}", field=key
                )
            )
    return [key for key in sections if isinstance(data[key], list)]


def _check_version(version: object) -> str | None:
    if version is None:
        return f"missing `schema_version: {SCHEMA_VERSION}` at the top of the file"
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        return (
            f"this normquiz reads schema_version {SCHEMA_VERSION}, the file has "
            f"{getattr(version, 'source', version)!r}"
        )
    return None


def _load_item(
    doc: YamlDocument, section: str, index: int, raw: object, result: LoadedFile
) -> None:
    base = (section, index)
    line, column = doc.locate(base)
    what = "question" if section == "questions" else "drill"
    if not isinstance(raw, dict):
        result.problems.append(
            Problem(
                doc.file,
                line,
                column,
                f"expected a {what} (a mapping with id, topic, ...), got " + type(raw).__name__,
            )
        )
        return
    question_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    model = _model_for(section, raw)
    if model is None:
        where = doc.locate((*base, "type"))
        result.problems.append(
            Problem(doc.file, *where, unknown_type_message(raw.get("type")), question_id, "type")
        )
        return
    try:
        item = model.model_validate(raw)
    except ValidationError as error:
        result.problems.extend(validation_problems(error, doc, base, question_id))
        return
    location = Location(doc.file, line, column, base, doc.locations)
    if isinstance(item, Drill):
        outside = [
            Problem(doc.file, *doc.locate((*base, *key)), message, item.id, field_label(key))
            for key, message in _files_outside(item, result)
        ]
        if outside:
            result.problems.extend(outside)
            return
        result.drills.append((item, location))
    else:
        result.questions.append((cast(Question, item), location))


def _model_for(section: str, raw: dict[str, object]) -> type[Drill] | type[QuestionBase] | None:
    """The model an item is validated with: Drill, or its question type's (None: unknown)."""
    if section == "drills":
        return Drill
    kind = raw.get("type")
    return QUESTION_TYPES.get(kind) if isinstance(kind, str) else None


def bank_paths(
    extra: Sequence[Path] = (), *, use_env: bool = True, bundled: bool = True
) -> list[Path]:
    """The bundled bank (unless ``bundled`` is off), then $NORMQUIZ_BANK entries, then
    --bank arguments."""
    added = (env_bank_dirs() if use_env else []) + list(extra)
    for path in added:
        if not path.exists():
            raise UsageError(f"bank directory not found: {path}")
    if not bundled and not added:
        raise UsageError(
            "--no-bundled leaves nothing to load; give --bank DIR (or set NORMQUIZ_BANK)"
        )
    return ([bundled_questions_dir()] if bundled else []) + added


def drill_files(drill: Drill) -> list[tuple[PathKey, str]]:
    """Every file a drill names, with the manifest key that names it."""
    files: list[tuple[PathKey, str]] = [
        (("starter",), drill.starter),
        (("solution",), drill.solution),
    ]
    files += [(("mistakes", i, "file"), m.file) for i, m in enumerate(drill.mistakes)]
    if not isinstance(drill.reference, str):
        files.append((("reference", "file"), drill.reference.file))
    return files


def _files_outside(drill: Drill, loaded: LoadedFile) -> list[tuple[PathKey, str]]:
    """The drill's files that resolve (symlinks and `..` followed) outside the bank."""
    directory = loaded.directory or Path(".")
    found = []
    for key, relative in drill_files(drill):
        message = _outside(directory / relative, loaded.roots)
        if message:
            found.append(
                (key, f"{relative!r} {message}; a drill's files must stay inside its bank")
            )
    return found


def _outside(path: Path, roots: tuple[Path, ...]) -> str | None:
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError) as error:  # a symlink loop, a null byte
        return f"cannot be resolved ({error})"
    if any(resolved.is_relative_to(root) for root in roots):
        return None
    inside = " or ".join(display_path(root) for root in roots)
    return f"resolves to {resolved}, outside the bank directory {inside}"


def drill_roots(bank_path: Path) -> tuple[Path, ...]:
    """The directories a bank's drill files must stay inside: the bank directory (for a
    single file, its own directory); the bundled bank's also include the bundled solutions."""
    base = (bank_path if bank_path.is_dir() else bank_path.parent).resolve()
    bundled = bundled_questions_dir().resolve()
    return (base, bundled.parent / "solutions") if base == bundled else (base,)


def bank_files(paths: Iterable[Path]) -> list[Path]:
    """Every YAML file under the given directories (or the files themselves), in order."""
    files: list[Path] = []
    for path in paths:
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            found = [
                p
                for p in path.rglob("*")
                if p.suffix in YAML_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            files.extend(sorted(found))
    return list(dict.fromkeys(p.resolve() for p in files))


def load_bank(extra: Sequence[Path] = (), *, use_env: bool = True, bundled: bool = True) -> Bank:
    """Load every bank file; duplicates keep the first and become problems."""
    bank = Bank()
    for path, roots in _files_with_roots(bank_paths(extra, use_env=use_env, bundled=bundled)):
        loaded = load_file(path, roots)
        bank.files.append(loaded.file)
        bank.problems.extend(loaded.problems)
        for question, location in loaded.questions:
            if _unique(bank, question.id, location):
                bank.by_id[question.id] = question
        for drill, location in loaded.drills:
            if _unique(bank, drill.id, location):
                bank.drills[drill.id] = drill
                bank.drill_dirs[drill.id] = loaded.directory or Path(".")
    return bank


def _files_with_roots(paths: Iterable[Path]) -> list[tuple[Path, tuple[Path, ...]]]:
    """Every bank file once, with the roots of the first bank path that holds it."""
    found: dict[Path, tuple[Path, ...]] = {}
    for bank_path in paths:
        roots = drill_roots(bank_path)
        for path in bank_files([bank_path]):
            found.setdefault(path, roots)
    return list(found.items())


def _unique(bank: Bank, item_id: str, location: Location) -> bool:
    """Record the item's location; a second item with the same id becomes a problem."""
    first = bank.locations.get(item_id)
    if first is not None:
        bank.problems.append(
            Problem(
                location.file,
                location.line,
                location.column,
                f"duplicate id '{item_id}', first defined at {first}",
                item_id,
                "id",
            )
        )
        return False
    bank.locations[item_id] = location
    return True
