"""Bans in PyTorch's dispatcher, installed in an untrusted child process only.

A banned op (``torch.ops.aten.native_layer_norm``) gets a raising kernel for every overload,
on the CPU and on every other CPU backend that has a kernel for it (nested, sparse, mkldnn,
quantized tensors), so every route to the op ends there: Python, TorchScript,
``torch._C._jit_get_operation``, an original recovered from anywhere. The registrations are
made through dispatch-library handles that no Python object refers to, so nothing in the
child can undo them. PyTorch's decomposition tables (Python implementations of ops, keyed by
op) have their entries for banned ops replaced by stubs, now and in every such module that
loads later.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
import types
import warnings
from collections.abc import Callable, Iterable
from typing import Any

OPS = "torch.ops."
CPU_BACKENDS = ("NestedTensorCPU", "SparseCPU", "SparseCsrCPU", "MkldnnCPU", "QuantizedCPU")
TABLE_MODULES = ("torch._decomp", "torch._refs", "torch._prims")

Hit = Callable[[str], BaseException]
MakeStub = Callable[[str], object]
Scrub = Callable[[types.ModuleType], None]


def ban_ops(names: Iterable[str], hit: Hit, make_stub: MakeStub) -> Scrub:
    """Raising kernels for the ops ``names``; returns what scrubs a module's tables."""
    try:
        import torch
    except ImportError:
        return _nothing
    handles: dict[str, Any] = {}
    packets = []
    for name in names:
        namespace, op = name[len(OPS) :].split(".", 1)
        packet = _packet(torch, namespace, op)
        if packet is None:
            continue
        if namespace not in handles:
            handles[namespace] = torch._C._dispatch_library("IMPL", namespace, "", "", 0)
        _register(torch, handles[namespace], f"{namespace}::{op}", packet, _raising(hit, name))
        packets.append(packet)
    for handle in handles.values():  # leaked on purpose: only the dispatcher holds it now
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(handle))
    handles.clear()

    banned = frozenset(id(packet) for packet in packets)  # ids: an op's __hash__ is slow

    def scrub(module: types.ModuleType) -> None:
        _scrub_module(module, banned, make_stub)

    for name, module in list(sys.modules.items()):
        if name.startswith(TABLE_MODULES) and isinstance(module, types.ModuleType):
            scrub(module)
    return scrub


def _nothing(_module: types.ModuleType) -> None:
    return None


def _packet(torch: Any, namespace: str, op: str) -> Any:
    try:
        return getattr(getattr(torch.ops, namespace), op)
    except (AttributeError, RuntimeError):
        return None


def _raising(hit: Hit, name: str) -> Callable[..., None]:
    def banned_kernel(*_args: object, **_kwargs: object) -> None:
        raise hit(name)

    return banned_kernel


def _register(torch: Any, handle: Any, qualified: str, packet: Any, kernel: object) -> None:
    """The kernel for every overload, on the CPU and on each CPU backend the op has."""
    with warnings.catch_warnings():  # "overriding a previously registered kernel"
        warnings.simplefilter("ignore")
        for overload in packet.overloads():
            op = qualified.split("::", 1)[1]
            name = op if overload == "default" else f"{op}.{overload}"
            full = qualified if overload == "default" else f"{qualified}.{overload}"
            keys = ["CPU"] + [
                key
                for key in CPU_BACKENDS
                if torch._C._dispatch_has_kernel_for_dispatch_key(full, key)
            ]
            for key in keys:
                with contextlib.suppress(RuntimeError):
                    handle.impl(name, key, kernel, False)


def _scrub_module(module: types.ModuleType, packets: frozenset[int], make_stub: MakeStub) -> None:
    """Replace, in a decomposition module's tables, every entry of a banned op by a stub."""
    name = getattr(module, "__name__", "")
    if not packets or not isinstance(name, str) or not name.startswith(TABLE_MODULES):
        return
    for value in list(vars(module).values()):
        if isinstance(value, dict):
            _scrub_table(value, packets, make_stub, nested=True)


def _scrub_table(
    table: dict[Any, Any], packets: frozenset[int], make_stub: MakeStub, nested: bool
) -> None:
    for key, value in list(table.items()):
        if nested and isinstance(value, dict):
            _scrub_table(value, packets, make_stub, nested=False)
        elif id(_packet_of(key)) in packets:
            table[key] = make_stub(f"torch.ops.{key}")


def _packet_of(key: object) -> object:
    try:
        return getattr(key, "overloadpacket", None)
    except Exception:  # noqa: BLE001 - any key may sit in a table
        return None
