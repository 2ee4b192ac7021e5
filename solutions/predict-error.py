"""Reference solution for predict-error: what torch 2.13 raises."""

OUTCOMES = {
    "batchnorm-train-one-value": "ValueError",
    "batchnorm-train-one-sample-spatial": "none",
    "batchnorm-eval-one-sample": "none",
    "groupnorm-indivisible": "ValueError",
    "instancenorm-one-element": "ValueError",
    "instancenorm-eval-one-element": "ValueError",
    "layernorm-shape-mismatch": "RuntimeError",
    "eval-without-running-buffers": "RuntimeError",
    "eval-untracked-module": "none",
    "batchnorm-wrong-channels": "RuntimeError",
}


def predict_error(situation):
    return OUTCOMES[situation]
