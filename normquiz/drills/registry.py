"""Names the manifest may use for references and case generators, resolved lazily
(so `lint` and `list` can check a name without importing numpy or torch)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from normquiz.sandbox import protocol

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
    "batchnorm": "normquiz.drills.cases.forward:batchnorm",
    "batchnorm-train-steps": "normquiz.drills.cases.steps:batchnorm_train_steps",
    "batchnorm-eval": "normquiz.drills.cases.forward:batchnorm_eval",
    "layernorm": "normquiz.drills.cases.forward:layernorm",
    "groupnorm": "normquiz.drills.cases.forward:groupnorm",
    "instancenorm": "normquiz.drills.cases.forward:instancenorm",
    "rmsnorm": "normquiz.drills.cases.forward:rmsnorm",
    "column-stats": "normquiz.drills.cases.statistics:column_stats",
    "syncbn": "normquiz.drills.cases.statistics:syncbn",
    "batchnorm-cumulative": "normquiz.drills.cases.steps:batchnorm_cumulative",
    "batchnorm-backward": "normquiz.drills.cases.backward:batchnorm_backward",
    "layernorm-backward": "normquiz.drills.cases.backward:layernorm_backward",
    "linear-bn-fold": "normquiz.drills.cases.folding:linear_bn_fold",
    "conv-bn-fold": "normquiz.drills.cases.folding:conv_bn_fold",
    "groupnorm-backward": "normquiz.drills.cases.backward:groupnorm_backward",
    "ema-update": "normquiz.drills.cases.statistics:ema_update",
    "module-specs": "normquiz.drills.cases.modules:module_specs",
    "batchnorm-module": "normquiz.drills.cases.steps:batchnorm_module",
    "bn-affine": "normquiz.drills.cases.folding:bn_affine",
    "weight-standardization": "normquiz.drills.cases.forward:weight_standardization",
    "error-situations": "normquiz.drills.cases.modules:error_situations",
}


def resolve(table: dict[str, str], name: str) -> Callable[..., Any]:
    """The function a manifest name stands for, imported only now."""
    return protocol.resolve(table[name])
