"""Run-time guards for banned APIs, installed in an untrusted child process only.

The caller says why a name is banned (``reason``); a stub raises BannedCall with it when
called, also through an attribute (``torch.ops.aten.batch_norm.default(...)``). A
banned module stays a module (``inspect``, ``torch._dynamo`` and anything else that walks
``sys.modules`` see its ``__name__`` and ``__file__``) with every function in it stubbed.
An attribute that cannot be replaced (a C object's read-only slot) is hidden behind a
proxy of its owner. Names starting with a dot (method bans) are for the static check.
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
import types
from collections.abc import Iterable

from normquiz.exceptions import BannedCall


class BanRecorder:
    """Records every banned name the child touched."""

    def __init__(self, reason: str) -> None:
        self.hits: list[str] = []
        self.reason = reason

    def hit(self, name: str) -> BannedCall:
        self.hits.append(name)
        return BannedCall(f"{name} {self.reason}")

    def stub(self, name: str, original: object = None) -> Stub:
        return Stub(self, name, original)

    def stub_functions_of(self, module: types.ModuleType) -> None:
        """Stub every public function a module defines; the module itself stays intact."""
        for attribute, value in list(vars(module).items()):
            if attribute.startswith("_") or not callable(value) or isinstance(value, type):
                continue
            if getattr(value, "__module__", module.__name__) == module.__name__:
                setattr(module, attribute, self.stub(f"{module.__name__}.{attribute}"))


_ORIGINALS: dict[int, object] = {}  # stubs live as long as the child: ids stay unique


class Stub:
    """Stands in for a banned function or object: calling it raises BannedCall. Reading an
    attribute gives the original's (``op.name()``, ``op.overloads()``: introspection such
    as ``inspect`` or ``torch._dynamo`` never trips the ban), except that a callable object
    reached that way (``torch.ops.aten.batch_norm.default``) is a stub too."""

    _recorder: BanRecorder
    _name: str

    def __init__(self, recorder: BanRecorder, name: str, original: object = None) -> None:
        parent, _, attribute = name.rpartition(".")
        object.__setattr__(self, "_recorder", recorder)
        object.__setattr__(self, "_name", name)
        _ORIGINALS[id(self)] = original  # not an attribute: stub._original gives nothing
        object.__setattr__(self, "__module__", parent)
        object.__setattr__(self, "__name__", attribute)
        object.__setattr__(self, "__qualname__", attribute)

    def __call__(self, *_args: object, **_kwargs: object) -> None:
        raise self._recorder.hit(self._name)

    def __getattr__(self, attribute: str) -> object:
        original = _ORIGINALS.get(id(self))
        if attribute.startswith("__") or original is None:
            raise AttributeError(attribute)
        value = getattr(original, attribute)
        if callable(value) and not _describes(value, original, attribute):
            return Stub(self._recorder, self._name, value)
        return value

    def __repr__(self) -> str:
        return f"<banned {self._name}>"


# Methods that only describe a banned op (torch registers ops by name at import time)
DESCRIBING = frozenset({"name", "overloads", "namespace"})


def _describes(value: object, original: object, attribute: str) -> bool:
    """A method of the banned object that only describes it; anything else callable that is
    reached from it (an overload, a kernel, ``redispatch``) stays banned."""
    return (
        attribute in DESCRIBING
        and isinstance(value, types.MethodType)
        and value.__self__ is original
    )


class Shadow:
    """A proxy of an object whose banned attributes cannot be replaced: the banned ones
    are stubs, everything else is the original's."""

    def __init__(self, original: object) -> None:
        object.__setattr__(self, "_original", original)
        object.__setattr__(self, "_stubs", {})

    def __getattr__(self, attribute: str) -> object:
        stubs: dict[str, object] = object.__getattribute__(self, "_stubs")
        if attribute in stubs:
            return stubs[attribute]
        return getattr(object.__getattribute__(self, "_original"), attribute)

    def __dir__(self) -> list[str]:
        return dir(object.__getattribute__(self, "_original"))


def install(banned: Iterable[str], reason: str = "is not allowed here") -> BanRecorder:
    """Replace every banned dotted name by a stub that records the use and raises."""
    recorder = BanRecorder(reason)
    names = {name for name in banned if not name.startswith(".")}
    # deepest names first, so a module's functions are stubbed before the module itself
    for name in sorted(names, key=lambda n: -n.count(".")):
        _ban(recorder, name)
    return recorder


def _ban(recorder: BanRecorder, name: str) -> None:
    parent_name, attribute = name.rsplit(".", 1)
    parent = _resolve(parent_name)
    if parent is None:
        return
    current = _attribute(parent, attribute)
    if current is None:
        return
    if isinstance(current, types.ModuleType):
        recorder.stub_functions_of(current)
        return
    try:
        setattr(parent, attribute, recorder.stub(name, current))
    except (TypeError, AttributeError):  # a read-only slot: hide it behind a proxy
        _shadow(parent_name, attribute, recorder.stub(name, current))


def _shadow(owner_name: str, attribute: str, stub: Stub) -> None:
    """Replace ``owner_name`` in its own parent by a Shadow with ``attribute`` stubbed."""
    if "." not in owner_name:
        return
    grand_name, owner_attribute = owner_name.rsplit(".", 1)
    grand = _resolve(grand_name)
    owner = _attribute(grand, owner_attribute) if grand is not None else None
    if owner is None:
        return
    if not isinstance(owner, Shadow):
        try:
            shadow = Shadow(owner)
            setattr(grand, owner_attribute, shadow)
        except (TypeError, AttributeError):
            return
        owner = shadow
    object.__getattribute__(owner, "_stubs")[attribute] = stub


def _attribute(parent: object, attribute: str) -> object | None:
    """The attribute, loaded if the owner makes it lazily (``torch.ops.aten``, ``torch._VF``)."""
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
