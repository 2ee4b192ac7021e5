"""Where normquiz finds its bundled content and keeps the learner's data."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "NORMQUIZ_HOME"
BANK_ENV = "NORMQUIZ_BANK"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """A content directory: inside the installed package, else the source checkout."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def bundled_questions_dir() -> Path:
    return _bundled("questions")


def user_home() -> Path:
    """The learner's data directory: $NORMQUIZ_HOME, else platformdirs' user data dir."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("normquiz", appauthor=False))


def env_bank_dirs() -> list[Path]:
    """Extra bank directories from $NORMQUIZ_BANK (os.pathsep-separated)."""
    raw = os.environ.get(BANK_ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def display_path(path: Path) -> str:
    """A path as the user should read it: relative to the cwd when under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
