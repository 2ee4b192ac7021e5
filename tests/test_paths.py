from __future__ import annotations

from pathlib import Path

import pytest

from normquiz.paths import bundled_questions_dir, env_bank_dirs, user_home


def test_home_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMQUIZ_HOME", str(tmp_path / "h"))
    assert user_home() == tmp_path / "h"


def test_home_default_is_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NORMQUIZ_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_home() == tmp_path / "xdg" / "normquiz"


def test_bank_env_is_path_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMQUIZ_BANK", "/a::/b")
    assert env_bank_dirs() == [Path("/a"), Path("/b")]


def test_bundled_bank_in_checkout() -> None:
    assert (bundled_questions_dir() / "bn.yaml").is_file()
