"""Drill ema-convention: one running-statistics update, in either framework's convention.

Write ema_update(running, batch_value, momentum, convention) -> new_running
  running, batch_value: (C,) arrays; momentum: a float
  convention: "pytorch" (momentum is the weight of the NEW value, default 0.1) or
              "keras" (Keras' and cs231n's: momentum is the weight of the OLD value, 0.99 / 0.9)
Check with:  normquiz check ema-convention
"""

import numpy as np


def ema_update(running, batch_value, momentum, convention):
    raise NotImplementedError("ema_update is not written yet")
