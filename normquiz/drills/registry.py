"""Names the manifest may use for references and case generators, resolved lazily
(so `lint` and `list` can check a name without importing numpy or torch)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

REFERENCES = {
    "bn-forward": "normquiz.drills.references:bn_forward",
    "bn-train-steps": "normquiz.drills.references:bn_train_steps",
    "bn-eval": "normquiz.drills.references:bn_eval",
    "layernorm-forward": "normquiz.drills.references:layernorm_forward",
    "groupnorm-forward": "normquiz.drills.references:groupnorm_forward",
    "instancenorm-forward": "normquiz.drills.references:instancenorm_forward",
    "rmsnorm-forward": "normquiz.drills.references:rmsnorm_forward",
    "column-stats": "normquiz.drills.references:column_stats",
    "syncbn-stats": "normquiz.drills.references:syncbn_stats",
    "bn-backward": "normquiz.drills.references:bn_backward",
    "layernorm-backward": "normquiz.drills.references:layernorm_backward",
    "linear-bn-fold": "normquiz.drills.references:linear_bn_fold",
    "conv-bn-fold": "normquiz.drills.references:conv_bn_fold",
    "groupnorm-backward": "normquiz.drills.references:groupnorm_backward",
    "ema-update": "normquiz.drills.references:ema_update",
    "count-norm-params": "normquiz.drills.references:count_norm_params",
    "bn-module": "normquiz.drills.references:bn_module",
    "bn-affine": "normquiz.drills.references:bn_affine",
    "weight-standardization": "normquiz.drills.references:weight_standardization",
    "predict-error": "normquiz.drills.references:predict_error",
}
CASE_GENERATORS = {
    "batchnorm": "normquiz.drills.cases:batchnorm",
    "batchnorm-train-steps": "normquiz.drills.cases:batchnorm_train_steps",
    "batchnorm-eval": "normquiz.drills.cases:batchnorm_eval",
    "layernorm": "normquiz.drills.cases:layernorm",
    "groupnorm": "normquiz.drills.cases:groupnorm",
    "instancenorm": "normquiz.drills.cases:instancenorm",
    "rmsnorm": "normquiz.drills.cases:rmsnorm",
    "column-stats": "normquiz.drills.cases:column_stats",
    "syncbn": "normquiz.drills.cases:syncbn",
    "batchnorm-cumulative": "normquiz.drills.cases:batchnorm_cumulative",
    "batchnorm-backward": "normquiz.drills.cases:batchnorm_backward",
    "layernorm-backward": "normquiz.drills.cases:layernorm_backward",
    "linear-bn-fold": "normquiz.drills.cases:linear_bn_fold",
    "conv-bn-fold": "normquiz.drills.cases:conv_bn_fold",
    "groupnorm-backward": "normquiz.drills.cases:groupnorm_backward",
    "ema-update": "normquiz.drills.cases:ema_update",
    "module-specs": "normquiz.drills.cases:module_specs",
    "batchnorm-module": "normquiz.drills.cases:batchnorm_module",
    "bn-affine": "normquiz.drills.cases:bn_affine",
    "weight-standardization": "normquiz.drills.cases:weight_standardization",
    "error-situations": "normquiz.drills.cases:error_situations",
}


def resolve(table: dict[str, str], name: str) -> Callable:
    module, attribute = table[name].split(":")
    return getattr(importlib.import_module(module), attribute)
