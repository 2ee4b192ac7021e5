"""The terminal's menus, built on prompt-toolkit: single-key steps (choices, true/false,
the rubric, what to do after an answer, a one-key question) on ``quiz.screen``'s steps.

Each menu lists its keys once (``Key``): its bindings and its ``?`` help come from that
list, and any other key says that it does nothing here.
"""

from __future__ import annotations

from prompt_toolkit.data_structures import Point
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.key_binding.key_bindings import KeyBindingsBase
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import FormattedTextControl, Window
from prompt_toolkit.layout.containers import Container

from normquiz.progress.scheduler import RATING_NAMES
from normquiz.quiz.kinds import LETTERS, SelfRating, suggested_rating
from normquiz.quiz.layout import Fragments, lines_of
from normquiz.quiz.markdown import markdown
from normquiz.quiz.screen import (
    END,
    NEXT,
    PROVE,
    QUIT,
    SKIP,
    UNDO,
    Key,
    Step,
    end_keys,
    ended,
    exit_with,
    key_name,
    laid_out,
    unended,
)

__all__ = ["END", "NEXT", "PROVE", "QUIT", "SKIP", "UNDO"]  # the results a step returns


class KeyMenu(Step):
    """A step answered by single keys; subclasses give the lines and the keys."""

    def items(self, final: bool = False) -> list[Fragments]:
        """The menu's lines, one item each (a choice, a point); ``final``: as printed
        once the step is done."""
        raise NotImplementedError

    def cursor_item(self) -> int:
        return 0

    def area(self) -> Container:
        return Window(
            FormattedTextControl(
                lambda: FormattedText(self._body()[0]),
                get_cursor_position=lambda: Point(0, self._body()[1]),
            ),
            height=lambda: self.heights()[1],
        )

    def area_height(self) -> int:
        return len(lines_of(self._body()[0]))

    def _body(self) -> tuple[Fragments, int]:
        """The items laid out, and the line where the cursor's item starts."""
        fragments: Fragments = []
        cursor_line = 0
        for index, item in enumerate(self.items()):
            if index == self.cursor_item():
                cursor_line = len(lines_of(fragments))
            fragments += laid_out(ended(item))
        return unended(fragments), cursor_line

    def transcript(self, result: object) -> Fragments:
        return [*self.context, *[part for item in self.items(True) for part in ended(item)]]

    def bindings(self) -> KeyBindingsBase:
        bindings = KeyBindings()
        bindings.add(Keys.Any)(self._unbound)  # the more specific bindings come first
        return merge_key_bindings([bindings, super().bindings()])

    def _unbound(self, event: KeyPressEvent) -> None:
        self.message = f"{key_name(event)} does nothing here; ? shows the keys"


class QuestionMenu(KeyMenu):
    """A question's menu: s skips, q quits, Ctrl-C/Ctrl-D end the session."""

    def answer_keys(self) -> list[Key]:
        raise NotImplementedError

    def keys(self) -> list[Key]:
        return [
            *self.answer_keys(),
            Key(("s",), "s skip", exit_with(SKIP)),
            Key(("q",), "q quit (answers are saved)", exit_with(QUIT)),
            *end_keys(),
        ]


class ChoiceMenu(QuestionMenu):
    def __init__(self, texts: list[str], multi: bool, context: Fragments | None = None) -> None:
        super().__init__(context)
        self.texts = texts
        self.multi = multi
        self.cursor = 0
        self.selected: set[int] = set()

    def items(self, final: bool = False) -> list[Fragments]:
        lines = []
        for i, text in enumerate(self.texts):
            here = i == self.cursor and not (final and self.multi)
            box = ("[x] " if i in self.selected else "[ ] ") if self.multi else ""
            style = "class:cursor" if here and not final else ""
            mark = ">" if here and (not final or i in self.selected) else " "
            lines.append([(style, f"{mark} {box}{LETTERS[i]}) "), *markdown(text)])
        return lines

    def cursor_item(self) -> int:
        return self.cursor

    def answer_keys(self) -> list[Key]:
        count = len(self.texts)
        letters = f"a-{LETTERS[count - 1]}"
        keys = [
            Key(("up", "s-tab"), "Up/Down move", lambda _event: self._move(-1)),
            Key(("down", "tab"), "", lambda _event: self._move(1)),
        ]
        if self.multi:
            keys += [
                Key(tuple(LETTERS[:count]), f"{letters} or Space toggle", self._letter),
                Key(("space",), "", lambda _event: self._toggle(self.cursor)),
                Key(("enter",), "Enter confirm (at least one)", self._confirm),
            ]
        else:
            keys += [
                Key(tuple(LETTERS[:count]), f"{letters} choose", self._letter),
                Key(("enter",), "Enter confirm", self._confirm),
            ]
        return keys

    def _move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.texts)
        self.message = ""

    def _letter(self, event: KeyPressEvent) -> None:
        self.cursor = LETTERS.index(event.key_sequence[0].data)
        if self.multi:
            self._toggle(self.cursor)

    def _toggle(self, index: int) -> None:
        self.selected ^= {index}
        self.message = ""

    def _confirm(self, event: KeyPressEvent) -> None:
        if not self.multi:
            self.selected = {self.cursor}
            event.app.exit(result=("answer", self.cursor))
        elif self.selected:
            event.app.exit(result=("answer", tuple(sorted(self.selected))))
        else:
            self.message = "select at least one choice (Space or its letter), then Enter"


class TrueFalseMenu(QuestionMenu):
    def __init__(self, context: Fragments | None = None) -> None:
        super().__init__(context)
        self.chosen: str | None = None

    def items(self, final: bool = False) -> list[Fragments]:
        if final and self.chosen:
            return [[("", "Your answer: "), ("class:answer", self.chosen)]]
        return [[("class:letter", "t"), ("", " true  /  "), ("class:letter", "f"), ("", " false")]]

    def answer_keys(self) -> list[Key]:
        return [
            Key(("t",), "t true", lambda event: self._choose(event, True)),
            Key(("f",), "f false", lambda event: self._choose(event, False)),
        ]

    def _choose(self, event: KeyPressEvent, value: bool) -> None:
        self.chosen = "true" if value else "false"
        event.app.exit(result=("answer", value))


class RubricMenu(KeyMenu):
    """Tick the rubric points your answer covered, then rate yourself (``context``: the
    model answer). Ctrl-C or Ctrl-D end the session without rating."""

    def __init__(self, points: list[str], ticks: list[bool], context: Fragments | None = None):
        super().__init__(context)
        self.points = points
        self.ticks = list(ticks)
        self.cursor = 0

    def items(self, final: bool = False) -> list[Fragments]:
        lines: list[Fragments] = [[("class:heading", "Your answer covered (Space toggles):")]]
        for i, point in enumerate(self.points):
            here = i == self.cursor and not final
            mark = "[x]" if self.ticks[i] else "[ ]"
            lines.append(
                [("class:cursor" if here else "", f"{'>' if here else ' '} {mark} {point}")]
            )
        return lines

    def footer(self) -> Fragments:
        """How to rate, always in sight (above the message and the keys)."""
        suggestion = RATING_NAMES[suggested_rating(self.ticks)]
        ratings = "  ".join(f"{n} {name}" for n, name in RATING_NAMES.items())
        return [("", f"Rate yourself: {ratings}  (Enter = {suggestion})\n"), *super().footer()]

    def cursor_item(self) -> int:
        return self.cursor + 1

    def transcript(self, result: object) -> Fragments:
        return [part for item in self.items(True) for part in ended(item)]  # (not the context)

    def keys(self) -> list[Key]:
        return [
            Key(("up",), "Up/Down move", lambda _event: self._move(-1)),
            Key(("down",), "", lambda _event: self._move(1)),
            Key(("space",), "Space tick/untick", lambda _event: self._toggle()),
            Key(tuple(str(n) for n in RATING_NAMES), "1-4 rate", self._rate),
            Key(("enter",), "Enter takes the suggestion", self._rate),
            *end_keys(),
        ]

    def _move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.points)

    def _toggle(self) -> None:
        self.ticks[self.cursor] = not self.ticks[self.cursor]

    def _rate(self, event: KeyPressEvent) -> None:
        data = event.key_sequence[0].data
        rating = int(data) if data.isdigit() else suggested_rating(self.ticks)
        event.app.exit(result=SelfRating(list(self.ticks), rating))


class ContinueMenu(KeyMenu):
    """After an answer: Enter goes on, p proves the answer, u undoes it, q or Ctrl-C ends."""

    full_screen = False

    def __init__(self, can_prove: bool, last: bool) -> None:
        super().__init__()
        self.can_prove, self.last = can_prove, last

    def items(self, final: bool = False) -> list[Fragments]:
        return [[("class:hint", " | ".join(key.label for key in self.own_keys()))]]

    def own_keys(self) -> list[Key]:
        go_on = "Enter: see the summary" if self.last else "Enter: next question"
        keys = [Key(("enter", "space", "n"), go_on, exit_with(NEXT))]
        if not self.last:
            keys.append(Key(("q",), "q: quit", exit_with(QUIT)))
        if self.can_prove:
            keys.append(Key(("p",), "p: prove it with torch", exit_with(PROVE)))
        return [*keys, Key(("u",), "u: undo this answer", exit_with(UNDO))]

    def keys(self) -> list[Key]:
        return [*self.own_keys(), *end_keys()]

    def help_text(self) -> str:
        """The keys the line above does not show."""
        return " | ".join([*(key.label for key in end_keys()), "? hides this"])


class KeyChoice(KeyMenu):
    """A question answered by one key out of ``keys``; Ctrl-C and Ctrl-D answer "" (end)."""

    full_screen = False

    def __init__(self, question: str, keys: str) -> None:
        super().__init__()
        self.question, self.choices = question, keys

    def items(self, final: bool = False) -> list[Fragments]:
        return [[("", self.question)]]

    def keys(self) -> list[Key]:
        return [
            Key(tuple(self.choices), "", lambda event: event.app.exit(result=event.data)),
            Key(("c-c", "c-d", Keys.SIGINT), "Ctrl-C/Ctrl-D: end", exit_with("")),
        ]
