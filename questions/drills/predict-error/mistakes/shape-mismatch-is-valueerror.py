OUTCOMES = {
    "batchnorm-train-one-value": "ValueError",
    "batchnorm-train-one-sample-spatial": "none",
    "batchnorm-eval-one-sample": "none",
    "groupnorm-indivisible": "ValueError",
    "instancenorm-one-element": "ValueError",
    "instancenorm-eval-one-element": "ValueError",
    "layernorm-shape-mismatch": "ValueError",
    "eval-without-running-buffers": "RuntimeError",
    "eval-untracked-module": "none",
    "batchnorm-wrong-channels": "ValueError",
}


def predict_error(situation):
    return OUTCOMES[situation]
