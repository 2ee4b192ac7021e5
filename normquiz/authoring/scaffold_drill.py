"""``normquiz new drill``: a drill folder and its manifest entry that pass ``lint --exec``.

The drill is declared in the bank (a reference file and cases as data); the author then
replaces the example computation (centering each column) with their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from normquiz.bank.fields import SLUG_PATTERN
from normquiz.exceptions import UsageError

MANIFEST_NAME = "drills.yaml"
MANIFEST_HEADER = "schema_version: 1\ndrills:\n"

ENTRY = """\
  # A drill declared in this bank (written by `normquiz new drill`). Replace the example
  # (centering each column) with your own computation: prompt, function, reference,
  # cases, solution and mistakes. `normquiz lint --exec --bank {bank}` proves it: the
  # solution must pass, each mistake must fail as itself, and the STARTER MUST FAIL (keep
  # it raising NotImplementedError, or leave the computation out).
  - id: {id}
    title: {title}
    topic: {topic}
    difficulty: 1
    prompt: |
      Write `{function}(x, scale=1.0) -> out` with numpy: subtract each column's mean from
      `x` of shape (N, C), then multiply by `scale`.
    function: {function}
    reference: {{file: {id}/reference.py}}  # what is right; runs sandboxed, never with yours
    cases:  # each argument: a plain value, or an array spec (shape, dtype, dist, ...)
      - name: small
        args:
          - {{shape: [4, 3], dtype: float64}}
      - name: float32-far-from-zero
        args:
          - {{shape: [8, 2], dtype: float32, loc: 1.0e+4, scale: 1.0}}
      - name: constant-column
        args:
          - {{shape: [5, 2], dtype: float64, dist: constant, value: 3.0}}
        kwargs: {{scale: 2.0}}
    starter: {id}/starter.py
    hints:
      - Which axis holds the N rows that share a mean?
      - "`x - x.mean(axis=0)`, times scale."
    tolerances:
      float32: {{atol: 1.0e-2, rtol: 1.0e-5}}
      float64: {{atol: 1.0e-9, rtol: 1.0e-9}}
    mistakes:
      - id: row-mean
        explanation: >-
          You subtracted each row's mean (axis 1); each column is centered with its own
          mean, taken over the N rows (axis 0).
        file: {id}/mistakes/row-mean.py
    solution: {id}/solution.py
"""

REFERENCE = """\
import numpy as np


def {function}(x, scale=1.0):
    return (x - x.mean(axis=0)) * scale
"""

STARTER = """\
import numpy as np


def {function}(x, scale=1.0):
    # The starter must fail `normquiz check` until the learner writes the computation.
    raise NotImplementedError("write {function}")
"""

SOLUTION = """\
import numpy as np


def {function}(x, scale=1.0):
    mean = x.sum(axis=0) / x.shape[0]
    return scale * (x - mean)
"""

ROW_MEAN = """\
import numpy as np


def {function}(x, scale=1.0):
    return (x - x.mean(axis=1, keepdims=True)) * scale
"""


@dataclass(frozen=True)
class Scaffold:
    """What ``new drill`` wrote: the manifest it added to and the files it created."""

    manifest: Path
    files: tuple[Path, ...]


def new_drill(bank: Path, drill_id: str, topic: str = "custom") -> Scaffold:
    """Create the drill folder under ``bank`` and append its entry to ``bank/drills.yaml``."""
    for what, value in (("drill id", drill_id), ("topic", topic)):
        if not re.match(SLUG_PATTERN, value):
            raise UsageError(f"the {what} must be a lowercase slug like my-drill, got {value!r}")
    manifest = bank / MANIFEST_NAME
    folder = bank / drill_id
    if folder.exists():
        raise UsageError(f"{folder} already exists; choose another id or remove it")
    text = _manifest_text(manifest, drill_id)
    function = re.sub(r"\W", "_", drill_id)
    function = function if function[0].isalpha() else f"drill_{function}"
    values = {"id": drill_id, "function": function, "topic": topic, "bank": bank}
    values["title"] = drill_id.replace("-", " ").capitalize()
    files = {
        "reference.py": REFERENCE,
        "starter.py": STARTER,
        "solution.py": SOLUTION,
        "mistakes/row-mean.py": ROW_MEAN,
    }
    written = tuple(_write(folder / name, body.format(**values)) for name, body in files.items())
    manifest.write_text(text + ENTRY.format(**values))
    return Scaffold(manifest, written)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _manifest_text(manifest: Path, drill_id: str) -> str:
    """The manifest's text so far (a fresh header when there is none), ready to append to."""
    if not manifest.exists():
        manifest.parent.mkdir(parents=True, exist_ok=True)
        return MANIFEST_HEADER
    try:
        text = manifest.read_text()
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"cannot read {manifest}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("drills"), list):
        raise UsageError(f"{manifest} has no `drills:` list to add the drill to")
    if drill_id in {d.get("id") for d in data["drills"] if isinstance(d, dict)}:
        raise UsageError(f"{manifest} already has a drill {drill_id!r}")
    last_key = re.findall(r"^([A-Za-z_]\w*):", text, re.MULTILINE)[-1]
    if last_key != "drills":
        raise UsageError(f"`drills:` is not the last section of {manifest}: cannot append")
    return text if text.endswith("\n") else text + "\n"
