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

from normquiz.exceptions import FileRefused, MalformedReport
from normquiz.sandbox.child import REPORT_NAME, Body, ChildReport
from normquiz.sandbox.files import read_regular
from normquiz.sandbox.supervisor import ChildRun
from normquiz.sandbox.zygote import ZygoteJob, run_job

MEGABYTE = 1024 * 1024
MAX_REPORT_BYTES = 8 * MEGABYTE


class SandboxJob:
    """A temporary job directory shared by the parent and the child it forks."""

    def __init__(self, name: str) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=f"normquiz-{name}-"))

    def run(self, body: Body, timeout: float, memory_mb: int) -> ChildRun:
        """Run ``body`` (picklable) in a child of the zygote, under the limits; the child
        reports what it returns."""
        return run_job(ZygoteJob(body, str(self.directory), timeout, memory_mb * MEGABYTE))

    def report(self) -> ChildReport | None:
        """What the child reported; None when it ended before writing a report."""
        try:
            data = self.read(REPORT_NAME, MAX_REPORT_BYTES)
        except FileNotFoundError:
            return None
        try:
            return ChildReport.from_json(json.loads(data))
        except (ValueError, TypeError, KeyError) as error:
            raise MalformedReport(f"the child's report is malformed: {error}") from None

    def read(self, name: str, limit: int) -> bytes:
        """A regular file the child left, at most ``limit`` bytes; never follows a link,
        never blocks on a FIFO or device."""
        try:
            return read_regular(self.directory / name, limit, follow_links=False)
        except FileNotFoundError:
            raise
        except FileRefused as refused:
            what = (
                f"is {refused.kind}" if refused.kind else f"is {refused.size} bytes (limit {limit})"
            )
            raise MalformedReport(f"{name} {what}") from None
        except OSError as error:
            raise MalformedReport(f"{name}: {error.strerror}") from None

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
