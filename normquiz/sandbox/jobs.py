"""One sandboxed job: a temporary directory, a forked child with limits, its report.

    with SandboxJob("check") as job:
        run = job.run(lambda: {...}, timeout=10.0, memory_mb=4096)
        report = job.report()          # a ChildReport; None when the child died first
        ...                            # read files the child left in job.directory

The directory and everything in it are removed when the block ends.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from normquiz.sandbox.child import REPORT_NAME, Body, ChildReport, child_entry
from normquiz.sandbox.supervisor import ChildRun, run_child

MEGABYTE = 1024 * 1024


class SandboxJob:
    """A temporary job directory shared by the parent and the child it forks."""

    def __init__(self, name: str) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=f"normquiz-{name}-"))

    def run(self, body: Body, timeout: float, memory_mb: int) -> ChildRun:
        """Fork a child that runs ``body`` under the limits and reports what it returns."""
        memory = memory_mb * MEGABYTE
        return run_child(lambda fd: child_entry(fd, self.directory, memory, body), timeout)

    def report(self) -> ChildReport | None:
        """What the child reported; None when it ended before writing a report."""
        path = self.directory / REPORT_NAME
        if not path.exists():
            return None
        return ChildReport.from_json(json.loads(path.read_text()))

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> SandboxJob:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
