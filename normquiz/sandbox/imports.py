"""Import hooks for an untrusted child: refuse a package, and treat modules that load after
the bans were installed (``importlib.reload``, a fresh copy from a spec, a module imported
later) like the ones loaded before."""

from __future__ import annotations

import contextlib
import importlib.abc
import sys
import types
from collections.abc import Callable
from typing import Any


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


def after_each_load(callback: Callable[[types.ModuleType], None]) -> None:
    """Call ``callback`` on every module executed from now on, right after it ran: one
    found by the import system, and a fresh copy of one already loaded (whose spec
    ``importlib.util.find_spec`` hands out without asking the import system)."""
    sys.meta_path.insert(0, _AfterLoad(callback))
    for module in list(sys.modules.values()):
        spec = getattr(module, "__spec__", None)
        loader = getattr(spec, "loader", None)
        if spec is not None and loader is not None and hasattr(loader, "exec_module"):
            wrapped = _AfterLoadLoader(loader, callback)
            with contextlib.suppress(AttributeError, TypeError):
                spec.loader = wrapped
                module.__loader__ = wrapped


class _AfterLoad(importlib.abc.MetaPathFinder):
    def __init__(self, callback: Callable[[types.ModuleType], None]) -> None:
        self.callback = callback

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _AfterLoadLoader(spec.loader, self.callback)
                return spec
        return None


class _AfterLoadLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, callback: Callable[[types.ModuleType], None]) -> None:
        self.loader, self.callback = loader, callback

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.loader.exec_module(module)
        self.callback(module)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.loader, attribute)
