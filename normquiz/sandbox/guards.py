"""Run-time guards for banned APIs, installed in an untrusted child process only.

The caller says why a name is banned (``reason``); the stub raises BannedCall with it. A
banned function is replaced by a stub; a banned module stays a module (``inspect``,
``torch._dynamo`` and anything else that walks ``sys.modules`` see its ``__name__`` and
``__file__``) with every function in it stubbed."""

from __future__ import annotations

import importlib
import importlib.abc
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

    def stub_functions_of(self, module: types.ModuleType) -> None:
        """Stub every public callable a module defines; the module itself stays intact."""
        for attribute, value in list(vars(module).items()):
            if attribute.startswith("_") or not callable(value) or isinstance(value, type):
                continue
            if getattr(value, "__module__", module.__name__) == module.__name__:
                setattr(module, attribute, self.stub(f"{module.__name__}.{attribute}"))


def install(banned: Iterable[str], reason: str = "is not allowed here") -> BanRecorder:
    """Replace every banned dotted name by a stub that records the call and raises."""
    recorder = BanRecorder(reason)
    # deepest names first, so a module's functions are stubbed before the module itself
    for name in sorted(set(banned), key=lambda n: -n.count(".")):
        parent_name, attribute = name.rsplit(".", 1)
        parent = _resolve(parent_name)
        if parent is None:
            continue
        current = _attribute(parent, attribute)
        if isinstance(current, types.ModuleType):
            recorder.stub_functions_of(current)
        elif current is not None:
            try:
                setattr(parent, attribute, recorder.stub(name))
            except (TypeError, AttributeError):  # a built-in type's method cannot be replaced
                continue
    return recorder


def _attribute(parent: object, attribute: str) -> object | None:
    try:
        return vars(parent).get(attribute)
    except TypeError:  # no __dict__ (torch.ops namespaces): ask the object
        try:
            return getattr(parent, attribute, None)
        except Exception:  # noqa: BLE001 - a lazy namespace may raise anything
            return None


def refuse_imports(package: str, reason: str) -> None:
    """From now on, importing ``package`` (or anything in it) raises ImportError(reason);
    its modules already loaded are dropped from ``sys.modules``."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    sys.meta_path.insert(0, _Refuse(package, reason))


class _Refuse(importlib.abc.MetaPathFinder):
    def __init__(self, package: str, reason: str) -> None:
        self.package = package
        self.reason = reason

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == self.package or fullname.startswith(self.package + "."):
            raise ImportError(self.reason, name=fullname)
        return None


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
