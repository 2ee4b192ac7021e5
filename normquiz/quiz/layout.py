"""Styled text as (style, text) fragments: paragraphs reflowed, word wrap (Markdown is
parsed in ``normquiz.quiz.markdown``).

The terminal UI styles fragments; plain mode prints their text. Marks are words and
characters, never colour alone."""

from __future__ import annotations

import re

from normquiz.quiz.markdown import CODE_BLOCK

Fragments = list[tuple[str, str]]
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_TOKEN = re.compile(r"\n| +|[^ \n]+")


def reflow(text: str) -> str:
    """Join the lines of each Markdown paragraph; keep code blocks and list items as lines."""
    out: list[str] = []
    in_fence = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            out.append(line)
        elif in_fence or not stripped or line.startswith("    ") or _LIST_ITEM.match(line):
            out.append(line)
        elif (
            out
            and out[-1].strip()
            and not out[-1].strip().startswith("```")
            and not out[-1].startswith("    ")
        ):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def plain(fragments: Fragments) -> str:
    return "".join(text for _, text in fragments)


def wrap(fragments: Fragments, width: int) -> Fragments:
    """Word-wrap styled text at ``width``; continuation lines keep the line's indent."""
    if width < 20:
        return fragments
    wrapped: Fragments = []
    column, indent, space, space_style = 0, 0, "", ""
    for style, text in fragments:
        if style == CODE_BLOCK:  # a code line is never broken
            wrapped.append((style, text))
            column, indent, space = 0, 0, ""
            continue
        for token in _TOKEN.findall(text):
            if token == "\n":
                wrapped.append((style, token))
                column, indent, space, space_style = 0, 0, "", ""
            elif token.startswith(" "):
                if column == 0:
                    indent = len(token) + _marker_width(text)
                    wrapped.append((style, token))
                    column = len(token)
                else:
                    space, space_style = token, style  # emitted only if a word follows
            elif column + len(space) + len(token) > width and column > indent:
                wrapped.append((style, "\n" + " " * indent + token))
                column, space = indent + len(token), ""
            else:
                if space:
                    wrapped.append((space_style, space))
                wrapped.append((style, token))
                column, space = column + len(space) + len(token), ""
    return wrapped


def _marker_width(text: str) -> int:
    """Extra hanging indent after a list marker such as 'a) ' or '- '."""
    match = re.match(r"\s*((?:[a-z]\)|[-*]|\d+\.)\s)", text)
    return len(match.group(1)) if match else 0
