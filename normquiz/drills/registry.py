"""Names the manifest may use for references and case generators, resolved lazily
(so `lint` and `list` can check a name without importing numpy or torch)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

REFERENCES = {
    "bn-forward": "normquiz.drills.references:bn_forward",
    "bn-train-steps": "normquiz.drills.references:bn_train_steps",
}
CASE_GENERATORS = {
    "batchnorm": "normquiz.drills.cases:batchnorm",
    "batchnorm-train-steps": "normquiz.drills.cases:batchnorm_train_steps",
}


def resolve(table: dict[str, str], name: str) -> Callable:
    module, attribute = table[name].split(":")
    return getattr(importlib.import_module(module), attribute)
