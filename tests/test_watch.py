"""`normquiz watch` in a real terminal: re-check on save, keys, never auto-advance."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import REPO
from normquiz.progress.scheduler import GOOD
from normquiz.progress.store import ProgressStore

NORMQUIZ = str(Path(sys.executable).with_name("normquiz"))


def spawn_watch(home: Path, *extra_env: tuple[str, str]) -> pexpect.spawn:
    env = {**os.environ, "NORMQUIZ_HOME": str(home), **dict(extra_env)}
    return pexpect.spawn(
        NORMQUIZ,
        ["watch", "bn-forward"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 120),
    )


def save(path: Path, source: Path) -> None:
    shutil.copyfile(source, path.with_suffix(".tmp"))
    os.replace(path.with_suffix(".tmp"), path)  # how many editors save: write, then rename


@pytest.mark.parametrize("polling", [False, True])
def test_watch_rechecks_on_save_and_obeys_keys(isolated_home: Path, polling: bool) -> None:
    child = spawn_watch(isolated_home, *([("NORMQUIZ_WATCH_POLL", "1")] if polling else []))
    workspace_file = isolated_home / "workspace" / "bn-forward.py"
    child.expect("bn-forward: ERROR")
    child.expect("q quit")
    save(workspace_file, REPO / "solutions" / "bn-forward.py")
    child.expect("bn-forward: PASS")
    child.expect("Press n for the next drill")
    child.send("h")
    child.expect("Hint 1/3")
    if not polling:
        child.send("x")
        child.expect(r"\[y/N\]")
        child.send("y")
        child.expect("previous file is in")
        child.expect("bn-forward: ERROR")  # the reset file is re-checked
        child.send("l")
        child.expect("bn-running-stats")
        child.send("n")
        child.expect("bn-running-stats.py")
        child.expect("bn-running-stats: FAIL")
    child.send("q")
    child.expect("Stopped watching")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    backups = list((isolated_home / "workspace" / ".backups").glob("bn-forward.*.py"))
    assert len(backups) == (0 if polling else 1)
    # checks of untouched starters (first open, after the reset, after `n`) record nothing;
    # the pass is one review, rated Good (the hint came after it)
    with ProgressStore.open(isolated_home) as store:
        assert [(r.item_id, r.correct, r.rating) for r in store.reviews()] == [
            ("bn-forward", True, GOOD)
        ]
