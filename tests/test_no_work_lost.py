"""No work lost, no false alarm: backups never overwrite each other; a full disk, the
file-size limit, a non-file or a read-only file are told apart from a corrupt database;
a session that cannot save ends with its summary and keeps every earlier answer."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import REPO, run_cli
from normquiz.bank.loader import load_bank
from normquiz.exceptions import UserDataError
from normquiz.progress.store import DB_NAME, ProgressStore
from normquiz.quiz.outcome import Outcome, Saved
from normquiz.quiz.plain import PlainQuiz
from normquiz.quiz.session import Session

BANK = load_bank(use_env=False)
T0 = datetime(2026, 3, 1, 9, 0, 0, 123456)
TRUE_FALSE = ["bn-one-sample-eval", "bn-no-grad-is-not-eval", "in-any-spatial-size"]
QUIZ_TF = ["quiz", "--plain", "--type", "true_false", "-n", "12", "--seed", "1"]


# --- backups -------------------------------------------------------------------------


def test_two_resets_in_one_second_keep_both_backups(isolated_home: Path) -> None:
    run_cli("drill", "bn-forward")
    path = isolated_home / "workspace" / "bn-forward.py"
    printed = []
    for text in ("# first attempt\n", "# second attempt\n"):  # usually within one second
        path.write_text(text)
        done = run_cli("reset", "bn-forward", "--yes")
        assert done.returncode == 0
        printed.append(Path(done.stdout.split("your previous file is in ", 1)[1].split()[0]))
    assert printed[0] != printed[1]
    assert [p.read_text() for p in printed] == ["# first attempt\n", "# second attempt\n"]
    assert sorted((isolated_home / "workspace" / ".backups").iterdir()) == sorted(printed)


def test_resets_at_the_same_instant_get_numbered_backups(tmp_path: Path) -> None:
    from normquiz.drills.workspace import backups, reset

    drill = BANK.find_drill("bn-forward")
    path = tmp_path / "bn-forward.py"
    made = []
    for text in ("one", "two", "three"):
        path.write_text(text)
        made.append(reset(BANK, drill, tmp_path, now=lambda: T0))
    assert [p.name for p in made if p] == [
        "bn-forward.20260301-090000-123456.py",
        "bn-forward.20260301-090000-123456-1.py",
        "bn-forward.20260301-090000-123456-2.py",
    ]
    listed = backups(drill, tmp_path)
    assert [b.path.read_text() for b in listed] == ["three", "two", "one"]  # newest first
    assert [b.size for b in listed] == [5, 3, 3] and listed[0].made == T0


MAKER = """
import sys
from datetime import datetime, timedelta
from pathlib import Path
from normquiz.drills.backups import make_backup
source = Path(sys.argv[1])
for _ in range(40):
    make_backup(source, Path(sys.argv[2]), "bn-forward", datetime(2026, 3, 1, 9))
"""


def test_two_processes_backing_up_at_the_same_instant_never_collide(tmp_path: Path) -> None:
    folder = tmp_path / ".backups"
    sources = []
    for name in ("left", "right"):
        sources.append(tmp_path / name)
        sources[-1].write_text(name * 100)
    makers = [
        subprocess.Popen([sys.executable, "-c", MAKER, str(source), str(folder)], cwd=REPO)
        for source in sources
    ]
    assert [maker.wait(timeout=60) for maker in makers] == [0, 0]
    contents = sorted(path.read_text() for path in folder.iterdir())
    assert contents == ["left" * 100] * 40 + ["right" * 100] * 40


def test_reset_list_shows_backups_newest_first_and_how_to_restore(isolated_home: Path) -> None:
    assert "No backups of bn-forward" in run_cli("reset", "--list", "bn-forward").stdout
    workspace = isolated_home / "workspace"
    old = workspace / ".backups" / "bn-forward.20250101-080000.py"  # an older name format
    old.parent.mkdir(parents=True)
    old.write_text("# from last year\n")
    (workspace / ".backups" / "notes.txt").write_text("not a backup")
    run_cli("drill", "bn-forward")
    (workspace / "bn-forward.py").write_text("# mine\n")
    run_cli("reset", "bn-forward", "--yes")
    listed = run_cli("reset", "--list", "bn-forward")
    rows = [line for line in listed.stdout.splitlines() if line.startswith("  20")]
    assert len(rows) == 2 and rows[1].startswith("  2025-01-01 08:00:00")
    assert "7 bytes" in rows[0] and "17 bytes" in rows[1]
    newest = rows[0].split()[-1]
    assert f"cp {newest} {workspace / 'bn-forward.py'}" in listed.stdout
    as_json = json.loads(run_cli("reset", "--list", "--json").stdout)["backups"]
    assert [(b["drill"], b["size"]) for b in as_json] == [("bn-forward", 7), ("bn-forward", 17)]
    assert as_json[0]["restore_to"] == str(workspace / "bn-forward.py")
    shutil.copy(newest, workspace / "bn-forward.py")  # the restore the output describes
    assert (workspace / "bn-forward.py").read_text() == "# mine\n"


def test_a_backup_that_cannot_be_written_leaves_the_file_alone(isolated_home: Path) -> None:
    run_cli("drill", "bn-forward")
    path = isolated_home / "workspace" / "bn-forward.py"
    path.write_text("# precious\n")
    (isolated_home / "workspace" / ".backups").write_text("a file in the way")
    failed = run_cli("reset", "bn-forward", "--yes")
    assert failed.returncode == 1 and "your file was left as it is" in failed.stderr
    assert path.read_text() == "# precious\n"


# --- the progress store's errors ---------------------------------------------------------


def run_limited(limit: int, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m normquiz ARGS`` with RLIMIT_FSIZE (``ulimit -f``) set to ``limit`` bytes."""

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "normquiz", *args],
        input=input,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ},
        preexec_fn=limit_file_size,
        timeout=120,
    )


def assert_one_line(stderr: str, *phrases: str) -> None:
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    for phrase in phrases:
        assert phrase in stderr, stderr
    assert "unreadable" not in stderr and "Make it writable" not in stderr


@pytest.mark.parametrize("name", [DB_NAME, DB_NAME + "-wal"])
def test_a_directory_where_the_database_belongs(isolated_home: Path, name: str) -> None:
    if name != DB_NAME:
        ProgressStore.open(isolated_home).close()
    (isolated_home / name).mkdir()
    result = run_cli("quiz", "--plain", input="q\n")
    assert result.returncode == 1
    assert_one_line(result.stderr, f"{isolated_home / name} is a directory", "move it aside")


@pytest.mark.parametrize("existing", [False, True])
def test_the_file_size_limit_at_start_is_named(isolated_home: Path, existing: bool) -> None:
    if existing:
        ProgressStore.open(isolated_home).close()
    result = run_limited(20_000, "quiz", "--plain", input="t\n")
    assert result.returncode == 1  # not killed by SIGXFSZ: the write failed with EFBIG
    assert_one_line(result.stderr, "file size limit", "20,000 bytes", "ulimit -f")


def asked_ids(stdout: str) -> list[str]:
    """The ids of the questions answered, in order (plain mode names each after its answer)."""
    return re.findall(r"^Question (\S+)$", stdout, re.MULTILINE)


def assert_session_kept_what_it_saved(result: subprocess.CompletedProcess[str], home: Path) -> str:
    """Exit 1 after the summary; every answer but the last is in the database."""
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    asked = asked_ids(result.stdout)
    assert 2 <= len(asked) < 12, result.stdout  # the database grew, then could not
    saved = len(asked) - 1
    score = re.search(r"^Score: (\d+)/(\d+) ", result.stdout, re.MULTILINE)
    assert score is not None and int(score[2]) == saved  # the summary counts the saved ones
    before = "The answer before it is" if saved == 1 else f"The {saved} answers before it are"
    assert f"Not saved: your answer to {asked[-1]}. {before} saved." in result.stdout
    with ProgressStore.open(home) as store:
        assert [review.item_id for review in store.reviews()] == asked[:-1]
    return result.stderr


def test_a_session_past_the_file_size_limit_keeps_every_earlier_answer(
    isolated_home: Path,
) -> None:
    ProgressStore.open(isolated_home).close()  # 44 KiB; the WAL then grows with each answer
    result = run_limited(80_000, *QUIZ_TF, input="t\n" * 12)
    stderr = assert_session_kept_what_it_saved(result, isolated_home)
    assert_one_line(stderr, "file size limit", "your earlier answers are saved")


def _unshare_works() -> bool:
    try:
        probe = ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]
        return subprocess.run(probe, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


needs_mounts = pytest.mark.skipif(
    not _unshare_works(), reason="needs unshare -rm for a private tmpfs or read-only mount"
)


def in_private_mount(
    mount: str, home: Path, command: str, input: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` (a shell line) after ``mount`` in a private mount namespace, with
    NORMQUIZ_HOME=home; what is in ``home`` afterwards is copied to ``home``.out."""
    out = Path(str(home) + ".out")
    out.mkdir()
    script = f"{mount} && {command}; status=$?; cp -a {home}/. {out}/; exit $status"
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        input=input,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "NORMQUIZ_HOME": str(home)},
        timeout=120,
    )


@needs_mounts
def test_a_disk_full_at_start_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = in_private_mount(
        f"mount -t tmpfs -o size=60k tmpfs {home}",
        home,
        f"{sys.executable} -m normquiz quiz --plain",
        input="t\n",
    )
    assert result.returncode == 1
    assert_one_line(result.stderr, f"the disk holding {home / DB_NAME} is full", "free space")


@needs_mounts
def test_a_disk_that_fills_during_a_session_keeps_every_earlier_answer(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    create = f"{sys.executable} -c 'from normquiz.progress.store import ProgressStore as S; S.open().close()'"
    result = in_private_mount(
        f"mount -t tmpfs -o size=160k tmpfs {home} && {create}",
        home,
        f"{sys.executable} -m normquiz {' '.join(QUIZ_TF)}",
        input="t\n" * 12,
    )
    stderr = assert_session_kept_what_it_saved(result, Path(str(home) + ".out"))
    assert_one_line(stderr, f"the disk holding {home / DB_NAME} is full", "earlier answers")


@needs_mounts
def test_a_read_only_database_file_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ProgressStore.open(home).close()
    db = home / DB_NAME
    result = in_private_mount(
        f"mount --bind {db} {db} && mount -o remount,ro,bind {db}",
        home,
        f"{sys.executable} -m normquiz quiz --plain --type true_false -n 1",
        input="t\n",
    )
    assert result.returncode == 1
    assert_one_line(result.stderr, f"{db} is on a read-only file system", "NORMQUIZ_HOME")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
@pytest.mark.parametrize("what", ["file", "directory"])
def test_read_only_modes_are_named(isolated_home: Path, what: str) -> None:
    ProgressStore.open(isolated_home).close()
    target = isolated_home / DB_NAME if what == "file" else isolated_home
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        result = run_cli("quiz", "--plain", "--type", "true_false", "-n", "1", input="t\n")
    finally:
        target.chmod(0o644 if what == "file" else 0o755)
    phrase = f"{target} is read-only" if what == "file" else f"the directory {target} is read-only"
    assert result.returncode == 1 and phrase in result.stderr and "chmod" in result.stderr


# --- a session that cannot save ---------------------------------------------------------


class FullDisk:
    """A saver that saves ``room`` answers, then fails as the store does on a full disk."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.saved: list[str] = []

    def __call__(self, outcome: Outcome) -> Saved:
        if len(self.saved) == self.room:
            raise UserDataError("the disk holding DB is full; your earlier answers are saved")
        self.saved.append(outcome.question.id)
        return Saved(len(self.saved), timedelta(days=1))


def test_the_session_ends_at_the_answer_it_could_not_save() -> None:
    saver = FullDisk(room=1)
    session = Session([BANK.by_id[i] for i in TRUE_FALSE], save=saver)
    for _ in range(2):
        question = session.current
        assert question is not None
        session.record(Outcome(question, True, True, 3, 1.0))
    assert session.current is None and session.result.quit_early and not session.can_undo
    failure = session.result.save_failure
    assert failure is not None and failure.outcome.question.id == TRUE_FALSE[1]
    assert [o.question.id for o in session.result.outcomes] == saver.saved == TRUE_FALSE[:1]
    assert session.result.as_json()["not_saved"] == TRUE_FALSE[1]
    assert (
        failure.note == f"Not saved: your answer to {TRUE_FALSE[1]}. The answer before it is saved."
    )


def test_plain_mode_prints_the_summary_then_raises_the_error() -> None:
    session = Session([BANK.by_id[i] for i in TRUE_FALSE], save=FullDisk(room=2))
    out = io.StringIO()
    with pytest.raises(UserDataError, match="disk holding DB is full"):
        PlainQuiz(session, io.StringIO("t\n" * 3), out).run()
    text = out.getvalue()
    assert text.index("Score: ") < text.index(f"Not saved: your answer to {TRUE_FALSE[2]}.")
    assert "The 2 answers before it are saved." in text and text.count("answer (") == 3


def test_the_terminal_prints_the_summary_then_raises_the_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from normquiz.quiz.terminal import run_terminal

    shown: list[str] = []
    monkeypatch.setattr(
        "normquiz.quiz.terminal.show",
        lambda fragments: shown.append("".join(t for _, t in fragments)),
    )
    session = Session([BANK.by_id[i] for i in TRUE_FALSE], save=FullDisk(room=1))
    with create_pipe_input() as pipe:
        pipe.send_text("t" + "\r" + "t")  # answer, go on, answer (not saved): no menu after it
        with pytest.raises(UserDataError, match="disk holding DB is full"):
            run_terminal(session, input=pipe, output=DummyOutput())
    text = "".join(shown)
    assert text.index("Score: 1/1") < text.index(f"Not saved: your answer to {TRUE_FALSE[1]}.")
