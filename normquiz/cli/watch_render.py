"""The watch screen as rich renderables, section by section (rich wraps them by words).

Sections, top to bottom: the task (title and progress, prompt, signature, file), the
verdict (or "checking..."), the hints and the solution shown, the message, the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from normquiz.cli.check_output import failure_text  # check's own wording
from normquiz.drills.results import NOTE_IDS, CheckResult, FirstFailure
from normquiz.drills.solution_view import SolutionView
from normquiz.drills.watch import WatchScreen

STATUS_STYLES = {
    "pass": "bold green",
    "fail": "bold red",
    "error": "bold red",
    "timeout": "bold yellow",
    "memory": "bold yellow",
}
OUTPUT_LINES = 12  # of what the learner's code printed


@dataclass(frozen=True)
class Marks:
    """The characters the screen draws with, Unicode or ASCII."""

    rule: str
    dot: str
    ellipsis: str

    @classmethod
    def of(cls, unicode: bool) -> Marks:
        return cls("─", " · ", "…") if unicode else cls("-", " | ", "...")


def header(screen: WatchScreen) -> Text:
    task = screen.task
    text = Text.assemble((f"{task.id}: {task.title}", "bold"))
    text.append(f"  [{screen.done}/{screen.total} done]", style="dim")
    return text


def prompt(screen: WatchScreen) -> Markdown:
    return Markdown(screen.task.prompt.strip(), code_theme="ansi_dark")


def task_lines(screen: WatchScreen) -> Table:
    signature = screen.task.signature.splitlines()
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1, overflow="fold")  # a path longer than a line is folded, not cut
    table.add_row("Signature", Text("\n".join(signature), style="cyan"))
    file = Text.assemble(str(screen.task.path), ("  (save it to re-check)", "dim"))
    table.add_row("Watching", file)
    return table


def rule(marks: Marks) -> Rule:
    return Rule(characters=marks.rule, style="dim")


def checking(marks: Marks) -> Text:
    return Text(f"checking{marks.ellipsis}  (q cancels and quits)", style="bold")


def verdict(screen: WatchScreen, marks: Marks) -> RenderableType:
    """The last verdict, kept on screen while the next check runs."""
    outcome = screen.outcome
    if outcome is None:
        return Text("")
    if outcome.result is None:
        return Text(outcome.problem or "not checked", style="red")
    return result_group(outcome.result, marks)


def result_group(result: CheckResult, marks: Marks) -> Group:
    parts: list[RenderableType] = [_status_line(result)]
    if result.verdict.first_failure:
        parts.append(_failure(result.verdict.first_failure))
    for item in result.verdict.diagnosis:
        heading = "Note" if item.id in NOTE_IDS else f"Diagnosis ({item.id})"
        parts.append(Text.assemble((heading, "bold"), f": {item.message}"))
    parts += _output(result)
    if result.passed:
        parts.append(
            Text(
                f"Passed!{marks.dot}n: the next drill{marks.dot}s: the reference solution",
                style="bold green",
            )
        )
    return Group(*parts)


def _status_line(result: CheckResult) -> Text:
    text = Text(result.status.upper(), style=STATUS_STYLES[result.status])
    text.append(f"  {result.verdict.message}  ({result.time_s:.2f} s)")
    return text


def _failure(failure: FirstFailure) -> Group:
    lines = [Text.assemble(("First failing case", "bold"), f": {failure.case}")]
    if failure.inputs:
        dtype = f" ({failure.dtype})" if failure.shapes else ""
        lines.append(Text(f"inputs{dtype}: {', '.join(failure.inputs)}"))
    lines.append(Text(failure_text(failure)))
    if failure.tolerance:
        tolerance = failure.tolerance
        lines.append(Text(f"tolerance: atol {tolerance.atol:g}, rtol {tolerance.rtol:g}"))
    return Group(lines[0], Padding(Group(*lines[1:]), (0, 0, 0, 2)))


def _output(result: CheckResult) -> list[RenderableType]:
    output = result.verdict.output
    if not output or not output.bytes:
        return []
    lines = (output.head + output.tail).rstrip().splitlines()
    more = len(lines) - OUTPUT_LINES
    shown = "\n".join(lines[:OUTPUT_LINES]) + (f"\n... [{more} more lines]" if more > 0 else "")
    title = Text.assemble(("Your code printed", "bold"), f" ({output.bytes} bytes):")
    return [title, Padding(Text(shown), (0, 0, 0, 2))]


def hints(screen: WatchScreen) -> RenderableType | None:
    if not screen.hints:
        return None
    title = Text(f"Hints ({len(screen.hints)}/{screen.hints_total}; esc hides them)", style="bold")
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for number, hint in enumerate(screen.hints, start=1):
        table.add_row(f"{number}.", Markdown(hint))
    return Group(title, table)


def solution(view: SolutionView | None) -> RenderableType | None:
    if view is None:
        return None
    styles = {"+": "green", "-": "red", "@": "cyan"}
    lines = [Text(view.title, style="bold")]
    for line in view.lines:
        style = styles.get(line[:1], "") if view.kind == "diff" else ""
        lines.append(Text(line, style=style, no_wrap=True, overflow="ellipsis"))
    return Group(*lines)


def keys_line(screen: WatchScreen, marks: Marks) -> Text:
    text = Text()
    for index, (key, action) in enumerate(screen.keys):
        if index:
            text.append(marks.dot, style="dim")
        text.append(key, style="bold")
        text.append(f" {action}")
    return text


def message(screen: WatchScreen) -> Text | None:
    return Text(screen.message, style="yellow") if screen.message else None
