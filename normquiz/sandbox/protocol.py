"""The worker protocol: one JSON line per request on the worker's stdin, one per reply on
its protocol stream. The sandbox only carries payloads; what a payload means belongs to
the feature that registered the operation.

A worker is started with a ``WorkerSpec``: a table of operation names to the
``"module:function"`` that serves them (the project's registry idiom), and optionally a
``"module:function"`` names to run once at start (preloading libraries), so the sandbox never
imports a feature.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, object]
Handler = Callable[[JsonObject], JsonObject]
PING = "ping"


def exact_fields(data: Mapping[str, Any], cls: type) -> dict[str, Any]:
    """``data`` as keyword arguments for the dataclass ``cls``: exactly its fields. A
    misspelled, missing or unknown key is an error, never a silent default."""
    names = {f.name for f in dataclasses.fields(cls)}
    if not isinstance(data, Mapping) or set(data) != names:
        keys = set(data) if isinstance(data, Mapping) else set()
        raise ValueError(
            f"{cls.__name__}: missing {sorted(names - keys)}, unknown {sorted(keys - names)}"
        )
    return dict(data)


def expect_types(fields: Mapping[str, Any], kinds: Mapping[str, tuple[type | None, ...]]) -> None:
    """TypeError unless each named field's value is exactly one of the allowed types (None
    for null; a bool is not an int here): for data read from an untrusted process."""
    for name, allowed in kinds.items():
        value = fields[name]
        if not any(value is None if kind is None else type(value) is kind for kind in allowed):
            raise TypeError(f"{name} is {type(value).__name__}")


def resolve(target: str) -> Callable[..., object]:
    """The function a ``"module:function"`` name points to."""
    module_name, _, attribute = target.partition(":")
    function = getattr(importlib.import_module(module_name), attribute)
    if not callable(function):
        raise TypeError(f"{target} is not callable")
    return function  # type: ignore[no-any-return]


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker serves (operation -> "module:function") and what it runs at start."""

    operations: Mapping[str, str] = field(default_factory=dict)
    warm: tuple[str, ...] = ()

    def merged(self, other: WorkerSpec) -> WorkerSpec:
        """A worker serving both specs' operations and warming as both do."""
        warm = tuple(dict.fromkeys(self.warm + other.warm))
        return WorkerSpec({**self.operations, **other.operations}, warm)

    def to_json(self) -> str:
        return json.dumps({"operations": dict(self.operations), "warm": list(self.warm)})

    @classmethod
    def from_json(cls, text: str) -> WorkerSpec:
        data = exact_fields(json.loads(text), cls)
        return cls(operations=dict(data["operations"]), warm=tuple(data["warm"]))


@dataclass(frozen=True)
class WorkerRequest:
    """One request; its ``id`` comes back in the reply, so a reply is never paired with
    another request's."""

    op: str
    payload: JsonObject = field(default_factory=dict)
    id: int = 0

    def to_json(self) -> str:
        return json.dumps({"op": self.op, "payload": self.payload, "id": self.id})

    @classmethod
    def from_json(cls, line: str) -> WorkerRequest:
        data = exact_fields(json.loads(line), cls)
        return cls(op=str(data["op"]), payload=dict(data["payload"]), id=int(data["id"]))


@dataclass(frozen=True)
class WorkerReply:
    """A result payload, or the traceback of a failure inside the worker itself; ``id`` is
    the request's (0 for the ready line and a request that could not be read)."""

    payload: JsonObject = field(default_factory=dict)
    internal_error: str | None = None
    id: int = 0

    def to_json(self) -> str:
        return json.dumps(
            {"payload": self.payload, "internal_error": self.internal_error, "id": self.id}
        )

    @classmethod
    def from_json(cls, line: str) -> WorkerReply:
        data = exact_fields(json.loads(line), cls)
        expect_types(data, {"internal_error": (str, None)})
        return cls(
            payload=dict(data["payload"]), internal_error=data["internal_error"], id=int(data["id"])
        )
