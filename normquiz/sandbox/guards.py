"""Run-time guards for banned APIs, installed in an untrusted child process only.

The caller says why a name is banned (``reason``); the stub raises BannedCall with it."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterable

from normquiz.exceptions import BannedCall


class BanRecorder:
    """Records every banned name the child touched."""

    def __init__(self, reason: str) -> None:
        self.hits: list[str] = []
        self.reason = reason

    def stub(self, name: str) -> Callable[..., None]:
        def banned(*_args: object, **_kwargs: object) -> None:
            self.hits.append(name)
            raise BannedCall(f"{name} {self.reason}")

        banned.__name__ = name.rsplit(".", 1)[-1]
        return banned

    def stub_module(self, name: str) -> types.ModuleType:
        recorder = self

        class BannedModule(types.ModuleType):
            def __getattr__(self, attribute: str) -> object:
                recorder.hits.append(name)
                raise BannedCall(f"{name} {recorder.reason}")

        return BannedModule(name)


def install(banned: Iterable[str], reason: str = "is not allowed here") -> BanRecorder:
    """Replace every banned dotted name by a stub that records the call and raises."""
    recorder = BanRecorder(reason)
    # deepest names first, so a module's functions are stubbed before the module itself
    for name in sorted(set(banned), key=lambda n: -n.count(".")):
        parent_name, attribute = name.rsplit(".", 1)
        parent = _resolve(parent_name)
        if parent is None:
            continue
        current = vars(parent).get(attribute)
        if isinstance(current, types.ModuleType):
            module = recorder.stub_module(name)
            sys.modules[name] = module
            setattr(parent, attribute, module)
        elif current is not None:
            try:
                setattr(parent, attribute, recorder.stub(name))
            except (TypeError, AttributeError):  # a built-in type's method cannot be replaced
                continue
    return recorder


def _resolve(dotted: str) -> object | None:
    """A module or an attribute reached from one (torch.Tensor), or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except (ImportError, BannedCall):
            continue
        try:
            for attribute in parts[cut:]:
                target = getattr(target, attribute)
        except (AttributeError, BannedCall):
            return None
        return target
    return None
