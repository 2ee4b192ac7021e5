"""Bank Markdown as styled fragments, parsed by markdown-it-py (CommonMark).

Paragraphs are reflowed (a soft line break is a space); list items keep their markers;
fenced and indented code blocks keep their lines, indented and never reflowed or wrapped;
`code` keeps its backticks in the code style; **strong** and *emphasis* lose their marks and
get a style. Plain mode prints the text of the same fragments.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

Fragments = list[tuple[str, str]]
CODE_BLOCK = "class:codeblock"  # a code block's line: not reflowed, not wrapped
INLINE_STYLES = {"strong_open": "class:strong", "em_open": "class:em"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def markdown(text: str, base: str = "") -> Fragments:
    """``text`` (Markdown) as fragments; ``base`` styles plain text."""
    fragments: Fragments = []
    lines = text.splitlines()
    markers: list[str] = []  # the marker of each open list ("-" or a number)
    for token in _parser().parse(text):
        starts_block = token.level == 0 and token.map and token.nesting >= 0 and fragments
        if starts_block and token.map and _blank_before(lines, token.map[0]):
            fragments.append((base, "\n"))  # the blank line between two blocks
        fragments += _block(token, base, markers)
    return fragments


def _blank_before(lines: list[str], start: int) -> bool:
    return 0 < start <= len(lines) and not lines[start - 1].strip()


def _block(token: Token, base: str, markers: list[str]) -> Fragments:
    indent = "  " * max(len(markers) - 1, 0)
    if token.type in ("bullet_list_open", "ordered_list_open"):
        markers.append(
            "-" if token.type == "bullet_list_open" else str(token.attrGet("start") or 1)
        )
    elif token.type in ("bullet_list_close", "ordered_list_close"):
        markers.pop()
    elif token.type == "list_item_open":
        return [(base, f"{indent}{_next_marker(markers)} ")]
    elif token.type == "inline":
        return [*_inline(token.children or [], base), (base, "\n")]
    elif token.type in ("fence", "code_block"):
        return [
            (CODE_BLOCK, f"{indent}    {line}\n") for line in token.content.rstrip("\n").split("\n")
        ]
    elif token.type in ("html_block", "hr"):
        return [(base, token.content or "---\n")]
    return []


def _next_marker(markers: list[str]) -> str:
    """ "-", or this item's number (and the list's next number kept for the next item)."""
    marker = markers[-1]
    if marker == "-":
        return "-"
    markers[-1] = str(int(marker) + 1)
    return f"{marker}."


def _inline(children: Sequence[Token], base: str) -> Fragments:
    fragments: Fragments = []
    styles = [base]
    link: list[str] = []
    for child in children:
        kind = child.type
        if kind in INLINE_STYLES:
            styles.append(INLINE_STYLES[kind])
        elif kind in ("strong_close", "em_close"):
            styles.pop()
        elif kind == "text" or kind == "html_inline":
            fragments.append((styles[-1], child.content))
        elif kind == "softbreak":
            fragments.append((styles[-1], " "))
        elif kind == "hardbreak":
            fragments.append((styles[-1], "\n"))
        elif kind == "code_inline":
            fragments.append(("class:code", f"`{child.content}`"))
        elif kind == "link_open":
            link.append(str(child.attrGet("href") or ""))
        elif kind == "link_close":
            fragments.append((styles[-1], f" ({link.pop()})"))
        elif kind == "image":
            fragments.append((styles[-1], child.content))
    return fragments
