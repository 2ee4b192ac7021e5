"""Run-time guards for banned APIs, installed in an untrusted child process only.

The caller says why a name is banned (``reason``); a stub raises BannedCall with it when
called, also through an attribute (``torch.ops.aten.batch_norm.default(...)``). A
banned module stays a module (``inspect``, ``torch._dynamo`` and anything else that walks
``sys.modules`` see its ``__name__`` and ``__file__``) with every function in it stubbed.
An attribute that cannot be replaced (a C object's read-only slot) is hidden behind a
proxy of its owner. Names starting with a dot (method bans) are for the static check.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import sys
import types
import warnings
from collections.abc import Iterable
from typing import Any

from normquiz.exceptions import BannedCall


class BanRecorder:
    """Records every banned name the child touched."""

    def __init__(self, reason: str) -> None:
        self.hits: list[str] = []
        self.reason = reason
        self._libraries: dict[str, object] = {}  # kept alive: a library's kernels die with it

    def library(self, namespace: str) -> Any:
        """A torch.library.Library overriding kernels of ``namespace``."""
        if namespace not in self._libraries:
            import torch

            self._libraries[namespace] = torch.library.Library(namespace, "IMPL")  # type: ignore[no-untyped-call]
        return self._libraries[namespace]

    def hit(self, name: str) -> BannedCall:
        self.hits.append(name)
        return BannedCall(f"{name} {self.reason}")

    def stub(self, name: str) -> Stub:
        return Stub(self, name)

    def stub_functions_of(self, module: types.ModuleType) -> None:
        """Stub every public function a module defines; the module itself stays intact."""
        for attribute, value in list(vars(module).items()):
            if attribute.startswith("_") or not callable(value) or isinstance(value, type):
                continue
            if getattr(value, "__module__", module.__name__) == module.__name__:
                setattr(module, attribute, self.stub(f"{module.__name__}.{attribute}"))


class Stub:
    """Stands in for a banned function, class constructor or object: calling it raises
    BannedCall, so does calling anything reached through it. It keeps no reference to what
    it replaced, so nothing in the child leads back to the original."""

    _recorder: BanRecorder
    _name: str

    def __init__(self, recorder: BanRecorder, name: str) -> None:
        parent, _, attribute = name.rpartition(".")
        object.__setattr__(self, "_recorder", recorder)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "__module__", parent)
        object.__setattr__(self, "__name__", attribute)
        object.__setattr__(self, "__qualname__", attribute)

    def __call__(self, *_args: object, **_kwargs: object) -> None:
        raise self._recorder.hit(self._name)

    def __getattr__(self, attribute: str) -> object:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return Stub(self._recorder, self._name)

    def __repr__(self) -> str:
        return f"<banned {self._name}>"


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
    """Replace every banned dotted name by a stub that records the use and raises; a
    dispatcher op (``torch.ops.aten.native_layer_norm``) gets a raising kernel instead, which
    every route to it (Python, TorchScript, a recovered original) goes through."""
    recorder = BanRecorder(reason)
    names = {name for name in banned if not name.startswith(".")}
    ops = {name for name in names if name.startswith(OPS)}
    for name in sorted(ops):
        _ban_kernel(recorder, name)
    # deepest names first, so a module's functions are stubbed before the module itself
    for name in sorted(names - ops, key=lambda n: -n.count(".")):
        _ban(recorder, name)
    return recorder


OPS = "torch.ops."


def _ban_kernel(recorder: BanRecorder, name: str) -> None:
    """Every overload of the op raises on the CPU, whoever calls it."""
    try:
        import torch
    except ImportError:
        return
    namespace, op = name[len(OPS) :].split(".", 1)
    packet: Any = _attribute(getattr(torch.ops, namespace, None), op)
    if packet is None:
        return
    library = recorder.library(namespace)

    def banned_kernel(*_args: object, **_kwargs: object) -> None:
        raise recorder.hit(name)

    with warnings.catch_warnings():  # "overriding a previously registered kernel"
        warnings.simplefilter("ignore")
        for overload in packet.overloads():
            qualified = op if overload == "default" else f"{op}.{overload}"
            with contextlib.suppress(RuntimeError):
                library.impl(qualified, banned_kernel, "CPU")


# Banning a switch turns it off first (no autograd graph is ever recorded in the child).
SWITCHED_OFF = {"torch._C._set_grad_enabled": (False,)}


def _ban(recorder: BanRecorder, name: str) -> None:
    parent_name, attribute = name.rsplit(".", 1)
    parent = _resolve(parent_name)
    if parent is None:
        return
    current = _attribute(parent, attribute)
    if current is None:
        return
    if name in SWITCHED_OFF and callable(current):
        current(*SWITCHED_OFF[name])
    if isinstance(current, types.ModuleType):
        recorder.stub_functions_of(current)
        return
    if isinstance(current, type):  # every name the class is exported under: its constructor
        with contextlib.suppress(TypeError, AttributeError):
            setattr(current, "__init__", recorder.stub(name))  # noqa: B010 - not a literal access
        return
    try:
        setattr(parent, attribute, recorder.stub(name))
    except (TypeError, AttributeError):  # a read-only slot: hide it behind a proxy
        _shadow(parent_name, attribute, recorder.stub(name))


def _shadow(owner_name: str, attribute: str, stub: Stub) -> None:
    """Replace ``owner_name`` in its own parent by a Shadow with ``attribute`` stubbed."""
    if "." not in owner_name:
        return
    grand_name, owner_attribute = owner_name.rsplit(".", 1)
    grand = _resolve(grand_name)
    owner = _attribute(grand, owner_attribute) if grand is not None else None
    if owner is None or isinstance(owner, type):  # never a class: isinstance must keep working
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
