"""The worker protocol: one JSON line per request on the worker's stdin, one per reply on
its protocol stream. The sandbox only carries payloads; what a payload means belongs to
the feature that registered the operation.

A worker is started with a ``WorkerSpec``: a table of operation names to the
``"module:function"`` that serves them (the project's registry idiom), and optionally a
``"module:function"`` names to run once at start (preloading libraries), so the sandbox never
imports a feature.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

JsonObject = dict[str, object]
Handler = Callable[[JsonObject], JsonObject]
PING = "ping"


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
        data = json.loads(text)
        return cls(operations=dict(data["operations"]), warm=tuple(data["warm"]))


@dataclass(frozen=True)
class WorkerRequest:
    op: str
    payload: JsonObject = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"op": self.op, "payload": self.payload})

    @classmethod
    def from_json(cls, line: str) -> WorkerRequest:
        data = json.loads(line)
        return cls(op=str(data["op"]), payload=dict(data["payload"]))


@dataclass(frozen=True)
class WorkerReply:
    """A result payload, or the traceback of a failure inside the worker itself."""

    payload: JsonObject = field(default_factory=dict)
    internal_error: str | None = None

    def to_json(self) -> str:
        return json.dumps({"payload": self.payload, "internal_error": self.internal_error})

    @classmethod
    def from_json(cls, line: str) -> WorkerReply:
        data = json.loads(line)
        return cls(payload=dict(data["payload"]), internal_error=data["internal_error"])
