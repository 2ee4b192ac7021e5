"""Cases declared in a bank's drill manifest: array specs turned into arrays from the seed.

The specs arrive as JSON (``normquiz.bank.case_spec.cases_json``: every field filled in),
so this module needs neither pydantic nor the bank.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import numpy as np

from normquiz.drills.cases import Case

FAR_FROM_ZERO = 1e3  # an array whose centre lies this far out is graded with far_<dtype>


def declared_cases(specs_json: str, seed: int) -> list[Case]:
    """One Case per declared case; each array drawn from its own stream of ``seed``."""
    return [_case(spec, seed, index) for index, spec in enumerate(json.loads(specs_json))]


def _case(spec: dict[str, Any], seed: int, index: int) -> Case:
    rng = np.random.default_rng([seed, index, zlib.crc32(spec["name"].encode())])
    args = [_value(value, rng) for value in spec["args"]]
    kwargs = {key: _value(value, rng) for key, value in spec["kwargs"].items()}
    specs = [v for v in [*spec["args"], *spec["kwargs"].values()] if _is_array(v)]
    return Case(spec["name"], _dtype(specs), args, far=_far(specs), kwargs=kwargs)


def _is_array(value: object) -> bool:
    return isinstance(value, dict) and "shape" in value and "dist" in value


def _value(value: object, rng: np.random.Generator) -> object:
    return array_from(value, rng) if _is_array(value) else value


def array_from(spec: Any, rng: np.random.Generator) -> np.ndarray:
    """The array an ArraySpec (as a dict) describes."""
    shape = tuple(int(n) for n in spec["shape"])
    data: np.ndarray
    dist = spec["dist"]
    if dist == "normal":
        data = spec["loc"] + spec["scale"] * rng.standard_normal(shape)
    elif dist == "uniform":
        data = rng.uniform(spec["low"], spec["high"], shape)
    elif dist == "constant":
        data = np.full(shape, spec["value"], dtype=np.float64)
    else:  # arange
        data = spec["loc"] + spec["scale"] * np.arange(int(np.prod(shape))).reshape(shape)
    if spec["dtype"] == "int64":
        return np.rint(data).astype(np.int64)
    return np.asarray(data, dtype=np.dtype(spec["dtype"]))


def _dtype(specs: list[dict[str, Any]]) -> str:
    """The tolerance a case is graded with: float32 when any array is float32."""
    return "float32" if any(s["dtype"] == "float32" for s in specs) else "float64"


def _far(specs: list[dict[str, Any]]) -> bool:
    centres = [s["loc"] for s in specs if s["dist"] in ("normal", "arange")]
    centres += [s["value"] for s in specs if s["dist"] == "constant"]
    centres += [(s["low"] + s["high"]) / 2 for s in specs if s["dist"] == "uniform"]
    return any(abs(centre) >= FAR_FROM_ZERO for centre in centres)
