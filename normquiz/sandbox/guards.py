"""Run-time guards for banned APIs, installed in an untrusted child process only.

The caller says why a name is banned (``reason``). A torch op (``torch.ops.aten.X``) is
banned in the dispatcher (``kernels``). Any other name is replaced by a stub that raises
BannedCall when called, also through an attribute. A banned module stays a module
(``inspect``, ``torch._dynamo`` and anything else that walks ``sys.modules`` see its
``__name__`` and ``__file__``) with every function in it stubbed; a banned class keeps its
identity with its constructor stubbed; ``module.*pattern*`` bans every function whose name
matches; a banned switch (``torch._C._set_grad_enabled``) is turned off and may only be
turned off again. An attribute that cannot be replaced (a C object's read-only slot) is
hidden behind a proxy of its owner. Names starting with a dot (method bans) are for the
static check. Modules loaded later get the same treatment.
"""

from __future__ import annotations

import contextlib
import fnmatch
import sys
import types
from collections.abc import Callable, Iterable

from normquiz.exceptions import BannedCall
from normquiz.sandbox.imports import after_each_load
from normquiz.sandbox.kernels import OPS, ban_ops

# Switches a ban turns off (no autograd graph is ever recorded), with how to read them.
SWITCHES = {"torch._C._set_grad_enabled": "torch._C.is_grad_enabled"}


class BanRecorder:
    """Records every banned name the child touched."""

    def __init__(self, reason: str) -> None:
        self.hits: list[str] = []
        self.reason = reason
        self.switches: dict[str, Switch] = {}

    def hit(self, name: str) -> BannedCall:
        self.hits.append(name)
        return BannedCall(f"{name} {self.reason}")

    def stub(self, name: str) -> Stub:
        return Stub(self, name)

    def stub_functions(
        self, module: types.ModuleType, pattern: str = "[!_]*", own: bool = True
    ) -> None:
        """Stub the functions of ``module`` whose names match ``pattern`` (by default its
        public ones), only those it defines itself when ``own``; the module stays intact."""
        for attribute, value in list(vars(module).items()):
            if not fnmatch.fnmatchcase(attribute, pattern) or not callable(value):
                continue
            if isinstance(value, (type, Stub)):
                continue
            if own and getattr(value, "__module__", module.__name__) != module.__name__:
                continue
            setattr(module, attribute, self.stub(f"{module.__name__}.{attribute}"))

    def check_switches(self) -> None:
        """Record a switch found on again, however it was turned on (TorchScript, ctypes),
        and turn it off."""
        for name, switch in self.switches.items():
            if switch.is_on():
                self.hits.append(name)
                switch.turn_off()


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


class Switch(Stub):
    """A banned switch, turned off: turning it off again is allowed (``torch.no_grad()``),
    turning it on is a banned call."""

    def __init__(self, recorder: BanRecorder, name: str, state: Callable[[], object]) -> None:
        super().__init__(recorder, name)
        object.__setattr__(self, "_state", state)
        object.__setattr__(self, "_turn_off", None)

    def __call__(self, *args: object, **_kwargs: object) -> None:
        if args != (False,):
            raise self._recorder.hit(self._name)

    def is_on(self) -> bool:
        return bool(object.__getattribute__(self, "_state")())

    def turn_off(self) -> None:
        setter = object.__getattribute__(self, "_turn_off")
        if setter is not None:
            setter(False)


def install(banned: Iterable[str], reason: str = "is not allowed here") -> BanRecorder:
    """Ban every name (see the module's docstring); returns the recorder of hits."""
    recorder = BanRecorder(reason)
    names = {name for name in banned if not name.startswith(".")}
    ops = {name for name in names if name.startswith(OPS)}
    scrub = ban_ops(sorted(ops), recorder.hit, recorder.stub)
    # deepest names first, so a module's functions are stubbed before the module itself
    python_names = sorted(names - ops, key=lambda n: -n.count("."))
    for name in python_names:
        _ban(recorder, name)

    def reban(module: types.ModuleType) -> None:
        prefix = module.__name__ + "."
        for name in python_names:
            if name == module.__name__:
                recorder.stub_functions(module)
            elif name.startswith(prefix) and "." not in name[len(prefix) :]:
                _ban(recorder, name, module)
        scrub(module)

    after_each_load(reban)
    return recorder


def _ban(recorder: BanRecorder, name: str, parent: object = None) -> None:
    """Ban ``name``; ``parent`` is the object holding it when not the one its module path
    leads to (a fresh copy of a module)."""
    parent_name, attribute = name.rsplit(".", 1)
    parent = parent if parent is not None else _resolve(parent_name)
    if parent is None:
        return
    if "*" in attribute:
        _ban_matching(recorder, parent, attribute)
        return
    current = _attribute(parent, attribute)
    if current is None or isinstance(current, Stub):
        return
    if isinstance(current, types.ModuleType):
        recorder.stub_functions(current)
    elif name in SWITCHES and callable(current):
        _switch_off(recorder, name, current, parent, attribute)
    elif isinstance(current, type):  # every name the class is exported under: its constructor
        with contextlib.suppress(TypeError, AttributeError):
            setattr(current, "__init__", recorder.stub(name))  # noqa: B010 - not a literal access
    else:
        try:
            setattr(parent, attribute, recorder.stub(name))
        except (TypeError, AttributeError):  # a read-only slot: hide it behind a proxy
            _shadow(parent_name, attribute, recorder.stub(name))


def _switch_off(
    recorder: BanRecorder, name: str, setter: Callable[..., object], parent: object, attribute: str
) -> None:
    state = _resolve(SWITCHES[name])
    if not callable(state):
        return
    setter(False)
    switch = Switch(recorder, name, state)
    object.__setattr__(switch, "_turn_off", setter)
    recorder.switches[name] = switch
    with contextlib.suppress(TypeError, AttributeError):
        setattr(parent, attribute, switch)


def _ban_matching(recorder: BanRecorder, module: object, pattern: str) -> None:
    """``torch._refs.*norm*``: every function of the module whose name matches."""
    if isinstance(module, types.ModuleType):
        recorder.stub_functions(module, pattern, own=False)


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


def _resolve(dotted: str) -> object | None:
    """A loaded module or an attribute reached from one (torch.Tensor), or None. Nothing is
    imported here: a module loaded later is banned as it loads (``after_each_load``)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        target: object = sys.modules.get(".".join(parts[:cut]))
        if target is None:
            continue
        try:
            for attribute in parts[cut:]:
                target = getattr(target, attribute)
        except Exception:  # noqa: BLE001 - a lazy attribute may raise anything (BannedCall too)
            return None
        return target
    return None
