"""Drill predict-error: which exception does each snippet raise in torch? ("none" if none)

Write predict_error(situation) -> "none" | "ValueError" | "RuntimeError" | "TypeError" | "IndexError"
The situations (see `normquiz drill predict-error` for the code of each) are:
  batchnorm-train-one-value, batchnorm-train-one-sample-spatial, batchnorm-eval-one-sample,
  groupnorm-indivisible, instancenorm-one-element, instancenorm-eval-one-element,
  layernorm-shape-mismatch, eval-without-running-buffers, eval-untracked-module,
  batchnorm-wrong-channels
Predict first; then check. (Running the snippets yourself is allowed, but less fun.)
Check with:  normquiz check predict-error
"""

OUTCOMES = {}


def predict_error(situation):
    return OUTCOMES.get(situation, "?")
