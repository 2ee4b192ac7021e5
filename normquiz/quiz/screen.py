"""A step of a question on the full screen, built on prompt-toolkit.

A question is asked on the terminal's alternate screen: the question and its answer area
are one layout, redrawn whole at the new width when the terminal is resized, and nothing
goes to the scrollback until the step is done; then the question and the answer given are
printed there once (``Step.transcript``). A question too long for the screen scrolls with
PgUp/PgDn, a scrollbar showing there is more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.data_structures import Point
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.key_binding.key_bindings import KeyBindingsBase
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import (
    ConditionalMargin,
    Dimension,
    FormattedTextControl,
    HSplit,
    Layout,
    ScrollbarMargin,
    Window,
)
from prompt_toolkit.layout.containers import Container
from prompt_toolkit.styles import Style

from normquiz.quiz.layout import Fragments, fit, lines_of, plain

SKIP, QUIT, END, NEXT, PROVE, UNDO = "skip", "quit", "end", "next", "prove", "undo"
ENDS = (QUIT, END)  # results after which nothing is printed for the step

STYLE = Style.from_dict(
    {
        "id": "bold",
        "muted": "#888888",
        "good": "ansigreen bold",
        "bad": "ansired bold",
        "code": "ansicyan",
        "codeblock": "ansicyan",
        "em": "italic",
        "strong": "bold",
        "heading": "bold",
        "letter": "bold",
        "answer": "bold",
        "cursor": "reverse",
        "hint": "#888888 italic",
        "message": "ansiyellow",
        "scrollbar.background": "bg:#444444",
        "scrollbar.button": "bg:#888888",
    }
)


def terminal_width() -> int:
    return get_app_session().output.get_size().columns


def unicode_output() -> bool:
    """Whether the terminal's encoding prints Unicode marks."""
    return get_app_session().output.encoding().lower().replace("-", "").startswith("utf")


def laid_out(fragments: Fragments, width: int | None = None) -> Fragments:
    """``fragments`` fitted to the terminal: prose wrapped, code cut with a mark."""
    return fit(fragments, (width or terminal_width()) - 1, unicode_output())


def show(fragments: Fragments) -> None:
    """Print styled text into the scrollback, laid out for the terminal."""
    print_formatted_text(FormattedText(laid_out(fragments)), style=STYLE, end="")


@dataclass(frozen=True)
class Key:
    """One key (or several names for it) of a step, how ``?`` names it, what it does."""

    names: tuple[str, ...]
    label: str
    action: Callable[[KeyPressEvent], None]


def exit_with(result: object) -> Callable[[KeyPressEvent], None]:
    def action(event: KeyPressEvent) -> None:
        event.app.exit(result=result)

    return action


def end_keys() -> list[Key]:
    """Ctrl-C and Ctrl-D end the session at every step (a SIGINT too)."""
    return [Key(("c-c", "c-d", Keys.SIGINT), "Ctrl-C/Ctrl-D end the session", exit_with(END))]


def key_name(event: KeyPressEvent) -> str:
    """How a pressed key is named in a message: the character, or Ctrl-X, F5, Escape."""
    press = event.key_sequence[0]
    if len(press.data) == 1 and press.data.isprintable():
        return press.data
    name = str(press.key)
    return f"Ctrl-{name[2:].upper()}" if name.startswith("c-") else name.capitalize()


def ended(fragments: Fragments) -> Fragments:
    """``fragments`` ending with a newline."""
    return fragments if plain(fragments).endswith("\n") else [*fragments, ("", "\n")]


def unended(fragments: Fragments) -> Fragments:
    """``fragments`` without their last newline (a window would show an empty line)."""
    if fragments and fragments[-1][1].endswith("\n"):
        style, text = fragments[-1]
        return [*fragments[:-1], (style, text[:-1])]
    return fragments


class Step:
    """One step of a question on the full screen: the question (``context``, scrollable
    with PgUp/PgDn when it does not fit), the step's own area, a message line and its keys.
    Inline steps (``full_screen`` False) show only their area and are erased when done."""

    full_screen: ClassVar[bool] = True

    def __init__(self, context: Fragments | None = None) -> None:
        self.context = list(context or [])
        self.show_help = False
        self.message = ""
        self.scroll = 0
        self.overflow = False  # the question did not fit when last laid out
        self.question_window: Window | None = None

    def keys(self) -> list[Key]:
        raise NotImplementedError

    def area(self) -> Container:
        """The step's own part of the screen, under the question."""
        raise NotImplementedError

    def area_height(self) -> int:
        return 1

    def transcript(self, result: object) -> Fragments:
        """What stays in the scrollback once the step is done with ``result``."""
        return self.context

    def run(self) -> object:
        app: Application[object] = Application(
            layout=self.layout(),
            key_bindings=self.bindings(),
            style=STYLE,
            full_screen=self.full_screen,
            erase_when_done=not self.full_screen,
        )
        result = app.run()
        if self.full_screen and result not in ENDS:
            show([("", "\n"), *self.transcript(result)])
        return result

    def bindings(self) -> KeyBindingsBase:
        bindings = KeyBindings()
        for key in [*self.keys(), *self.scroll_keys()]:
            for name in key.names:
                bindings.add(name)(key.action)
        bindings.add("?")(lambda _event: self._toggle_help())
        return bindings

    def help_text(self) -> str:
        labels = [key.label for key in self.keys() if key.label]
        if self.overflowing():
            labels.append("PgUp/PgDn scroll the question")
        return " | ".join([*labels, "? hides this"])

    def footer(self) -> Fragments:
        fragments: Fragments = []
        if self.message:
            fragments.append(("class:message", self.message + "\n"))
        if self.show_help:
            return [*fragments, ("class:hint", self.help_text())]
        return [*fragments, ("class:hint", "? shows the keys")] if self.full_screen else fragments

    def layout(self) -> Layout:
        footer = Window(
            FormattedTextControl(lambda: FormattedText(laid_out(self.footer()))), wrap_lines=True
        )
        if not self.full_screen:
            return Layout(HSplit([self.area(), footer]))
        self.question_window = Window(
            FormattedTextControl(
                lambda: FormattedText(self._question()),
                get_cursor_position=lambda: Point(0, self.scroll),
            ),
            height=lambda: self.heights()[0],
            get_vertical_scroll=lambda _window: self.scroll,
            right_margins=[ConditionalMargin(ScrollbarMargin(True), Condition(self.overflowing))],
        )
        footer_window = Window(footer.content, height=lambda: self.heights()[2])
        return Layout(HSplit([self.question_window, self.area(), footer_window, Window()]))

    def _question(self) -> Fragments:
        """The question laid out (a column left for the scrollbar)."""
        return unended(laid_out(self.context, terminal_width() - 1))

    def heights(self) -> tuple[Dimension, int, Dimension]:
        """The question's, the area's and the footer's heights: the area and the footer
        first; the question gets the rest (at least 3 lines when it can)."""
        rows = get_app_session().output.get_size().rows
        question = len(lines_of(self._question()))
        footer = len(lines_of(laid_out(self.footer())))
        area = min(self.area_height(), max(1, rows - footer - min(question, 3)))
        room = max(0, rows - footer - area)
        self.overflow = self.full_screen and question > room
        return Dimension.exact(min(question, room)), area, Dimension.exact(min(footer, rows))

    def overflowing(self) -> bool:
        """Whether the question is taller than the room it got when last laid out (then
        PgUp/PgDn scroll it)."""
        return self.overflow

    def scroll_keys(self) -> list[Key]:
        if not self.full_screen:
            return []
        return [
            Key(("pageup",), "", lambda _event: self._scroll_by(-1)),
            Key(("pagedown",), "", lambda _event: self._scroll_by(1)),
        ]

    def _scroll_by(self, pages: int) -> None:
        info = self.question_window.render_info if self.question_window else None
        if info is None:
            return
        page = max(1, info.window_height - 1)
        most = max(0, info.content_height - info.window_height)
        self.scroll = max(0, min(most, self.scroll + pages * page))

    def _toggle_help(self) -> None:
        self.show_help = not self.show_help
        self.message = ""
