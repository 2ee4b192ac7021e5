"""Every error normquiz raises on purpose, with the exit code each maps to.

The CLI turns a ``NormquizError`` into a one-line message on stderr and exits with its
``exit_code`` (2: usage, 1: everything else); anything else escaping is a bug. The last
two classes are signals inside a sandbox child: they never reach the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass


class NormquizError(Exception):
    """Base class: a problem normquiz can explain to the user.  Exit code 1."""

    exit_code = 1


class UsageError(NormquizError):
    """The command line asked for something that cannot be done.  Exit code 2."""

    exit_code = 2


class UserDataError(NormquizError):
    """The user data directory or the progress database cannot be used.  Exit code 1."""


class NothingToAsk(NormquizError):
    """No question matches the request, or nothing is due.  Exit code 1."""


class EditorError(NormquizError):
    """No editor is set ($VISUAL, $EDITOR), or it cannot be started.  Exit code 1."""


class NotPassedYet(NormquizError):
    """A drill's reference solution was asked for before the drill was passed.  Exit code 1."""


class GraderError(NormquizError):
    """The sandbox worker itself failed (a normquiz bug, not the learner's).  Exit code 1."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a bank file: file:line:col: id: field: message."""

    file: str
    line: int
    column: int
    message: str
    id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [f"{self.file}:{self.line}:{self.column}"]
        if self.id:
            parts.append(self.id)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "id": self.id,
            "field": self.field,
            "message": self.message,
        }


class BankError(NormquizError):
    """A bank file or directory could not be loaded; carries located problems.  Exit code 1."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class OutputError(Exception):
    """Inside a sandbox child: the learner's function returned something that is not what
    the drill asks for (reported as the case's failure, never an exit)."""


class BannedCall(BaseException):
    """Inside a sandbox child: learner code called an API its drill bans. A BaseException,
    so the learner's own ``except Exception`` cannot swallow it (reported as banned-api)."""


class Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived (SIGINT arrives as KeyboardInterrupt). A BaseException, so
    no ``except Exception`` on the way swallows it. Exit code 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class MalformedReport(ValueError):
    """In the worker: a file a sandbox child left is not what it should have written (too
    large, a link, a FIFO, wrong fields). Reported as the check's error, never an exit."""


class FileRefused(ValueError):
    """A file that is not a regular file, or larger than allowed, read by the sandbox's
    bounded reader; ``kind`` says what it is instead, ``size`` how large. The caller turns it
    into its own message, never an exit of its own."""

    def __init__(self, kind: str | None = None, size: int | None = None) -> None:
        super().__init__(kind or f"{size} bytes")
        self.kind = kind
        self.size = size


class ReferenceFailed(Exception):
    """In the worker: a bank's reference file could not compute the expected outputs (it
    raised, ran out of memory or time); the message says where. Becomes the check's error."""
