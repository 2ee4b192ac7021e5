"""Read one YAML file safely, with a location for every key and item.

PyYAML follows YAML 1.1, where ``1e-5`` is a string, ``no`` is ``False``, ``010`` is 8
and ``1:20`` is 80. Bank authors expect YAML 1.2: only ``true``/``false`` are booleans,
``1e-5`` is a number, dates stay text. The loader below resolves plain scalars with the
YAML 1.2 core schema and keeps each number's source text, so a number that lands in a
text field (``text: 0.10``) is shown exactly as the author wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from normquiz.exceptions import BankError, Problem

try:
    from yaml import CSafeLoader as _SafeBase
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]

PathKey = tuple[str | int, ...]


class SourceInt(int):
    """An int that remembers how it was written."""

    source: str


class SourceFloat(float):
    """A float that remembers how it was written."""

    source: str


class BankYamlLoader(_SafeBase):
    """A safe loader (C when available) with YAML 1.2 core-schema plain scalars."""


BankYamlLoader.yaml_implicit_resolvers = {}
_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
]
for _tag, _pattern, _first in _RESOLVERS:
    BankYamlLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _construct_int(_loader: yaml.BaseLoader, node: ScalarNode) -> SourceInt:
    text = node.value
    value = SourceInt(int(text, 0)) if text.startswith(("0o", "0x")) else SourceInt(int(text, 10))
    value.source = text
    return value


def _construct_float(_loader: yaml.BaseLoader, node: ScalarNode) -> SourceFloat:
    text = str(node.value)
    lowered = text.lower().lstrip("+")
    special = {".inf": "inf", "-.inf": "-inf", ".nan": "nan"}
    value = SourceFloat(float(special.get(lowered, text)))
    value.source = text
    return value


def _construct_bool(_loader: yaml.BaseLoader, node: ScalarNode) -> bool:
    return str(node.value).lower() == "true"


BankYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
BankYamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
BankYamlLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: plain Python data plus (line, column) for every path in it."""

    file: str
    data: object
    locations: dict[PathKey, tuple[int, int]]

    def locate(self, path: PathKey) -> tuple[int, int]:
        """The position of the longest prefix of ``path`` that exists in the file."""
        for end in range(len(path), -1, -1):
            found = self.locations.get(tuple(path[:end]))
            if found:
                return found
        return (1, 1)


def read_yaml(path: Path, display: str) -> YamlDocument:
    """Parse ``path``; raise BankError with a located problem for anything unreadable."""
    text = _read_text(path, display)
    if not text.strip():
        raise BankError(
            [
                Problem(
                    display, 1, 1, "the file is empty; a bank file starts with `schema_version: 1`"
                )
            ]
        )
    try:
        loader = BankYamlLoader(text)
        try:
            node = loader.get_single_node()
            locations, duplicates = _index_nodes(node, display)
            if duplicates:
                raise BankError(duplicates)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise BankError([_marked_problem(exc, display)]) from None
    except yaml.YAMLError as exc:
        raise BankError([_reader_problem(exc, text, display)]) from None
    except RecursionError:
        raise BankError([Problem(display, 1, 1, "the YAML is nested too deeply")]) from None
    return YamlDocument(display, data, locations)


def _read_text(path: Path, display: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BankError([Problem(display, 1, 1, f"cannot read the file: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = (
            f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        )
        raise BankError([Problem(display, line, column, message)]) from None


def _index_nodes(
    root: Node | None, display: str
) -> tuple[dict[PathKey, tuple[int, int]], list[Problem]]:
    """Map every key path to the position of its key (or item); find duplicate keys."""
    locations: dict[PathKey, tuple[int, int]] = {}
    duplicates: list[Problem] = []
    if root is None:
        return locations, duplicates
    locations[()] = _position(root)
    seen: set[int] = set()
    stack: list[tuple[Node, PathKey]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for child_path, child, position in _children(node, path, display, duplicates):
            locations.setdefault(child_path, position)
            stack.append((child, child_path))
    return locations, duplicates


def _children(
    node: Node, path: PathKey, display: str, duplicates: list[Problem]
) -> Iterator[tuple[PathKey, Node, tuple[int, int]]]:
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield (*path, index), item, _position(item)
    elif isinstance(node, MappingNode):
        first_seen: dict[str, tuple[int, int]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.value == "<<":
                continue
            position = _position(key)
            if key.value in first_seen:
                line = first_seen[key.value][0]
                duplicates.append(
                    Problem(
                        display,
                        *position,
                        f"duplicate key '{key.value}' "
                        f"(first at line {line}); YAML would keep only the last one",
                    )
                )
            first_seen.setdefault(key.value, position)
            yield (*path, key.value), value, position


def _position(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _marked_problem(exc: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        problem = f"{problem} ({exc.context} at line {exc.context_mark.line + 1})"
    if re.search(r"\btab\b|\\t|'\t'", problem):
        problem += "; indent with spaces, not tabs"
    return Problem(display, line, column, f"invalid YAML: {problem}")


def _reader_problem(exc: yaml.YAMLError, text: str, display: str) -> Problem:
    position = getattr(exc, "position", 0) or 0
    position = min(position, len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    reason = getattr(exc, "reason", None) or str(exc)
    return Problem(display, line, column, f"invalid YAML: {reason}")
