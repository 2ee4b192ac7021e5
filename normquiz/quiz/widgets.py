"""The terminal's input widgets, built on prompt-toolkit: single-key menus (choices,
true/false, the rubric, what to do after an answer) and a validated line prompt."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import FormattedTextControl, Layout, Window
from prompt_toolkit.styles import Style
from prompt_toolkit.validation import ValidationError, Validator

from normquiz.progress.scheduler import RATING_NAMES
from normquiz.quiz.kinds import LETTERS, Invalid, SelfRating, suggested_rating
from normquiz.quiz.layout import Fragments, wrap
from normquiz.quiz.markdown import markdown

SKIP, QUIT, END, NEXT, PROVE, UNDO = "skip", "quit", "end", "next", "prove", "undo"

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
    }
)

COMMON_HELP = "s skip | q quit (answers so far are saved) | Ctrl-C/Ctrl-D end | ? help"


def terminal_width() -> int:
    return get_app_session().output.get_size().columns


def show(fragments: Fragments) -> None:
    """Print styled text, word-wrapped to the terminal."""
    print_formatted_text(FormattedText(wrap(fragments, terminal_width())), style=STYLE, end="")


def _common_bindings(on_help: Callable[[], None]) -> KeyBindings:
    bindings = KeyBindings()
    bindings.add("s")(lambda event: event.app.exit(result=SKIP))
    bindings.add("q")(lambda event: event.app.exit(result=QUIT))
    bindings.add("c-c")(lambda event: event.app.exit(result=END))
    bindings.add("c-d")(lambda event: event.app.exit(result=END))
    bindings.add("?")(lambda _event: on_help())
    return bindings


class KeyMenu:
    """An inline menu driven by single keys; subclasses add keys and the body."""

    common_help: ClassVar[str] = COMMON_HELP  # the keys every question's menu has

    def __init__(self, keys_help: str = "") -> None:
        self.keys_help = keys_help
        self.show_help = False
        self.message = ""

    def body(self) -> Fragments:
        raise NotImplementedError

    def bindings(self) -> KeyBindings:
        raise NotImplementedError

    def _toggle_help(self) -> None:
        self.show_help = not self.show_help

    def _fragments(self) -> Fragments:
        fragments = wrap(self.body(), terminal_width() - 1)
        if self.message:
            fragments.append(("class:message", self.message + "\n"))
        hint = f"{self.keys_help} | {self.common_help}" if self.show_help else "? help"
        fragments.append(("class:hint", hint))
        return fragments

    def run(self) -> object:
        control = FormattedTextControl(
            lambda: FormattedText(self._fragments()), focusable=True, show_cursor=False
        )
        app: Application[object] = Application(
            layout=Layout(Window(control, dont_extend_height=True, wrap_lines=True)),
            key_bindings=self.bindings(),
            style=STYLE,
            full_screen=False,
            erase_when_done=False,
        )
        return app.run()


class ChoiceMenu(KeyMenu):
    def __init__(self, texts: list[str], multi: bool, keys_help: str) -> None:
        super().__init__(keys_help)
        self.texts = texts
        self.multi = multi
        self.cursor = 0
        self.selected: set[int] = set()

    def body(self) -> Fragments:
        fragments: Fragments = []
        for i, text in enumerate(self.texts):
            pointer = ">" if i == self.cursor else " "
            box = ("[x] " if i in self.selected else "[ ] ") if self.multi else ""
            style = "class:cursor" if i == self.cursor else ""
            fragments.append((style, f"{pointer} {box}{LETTERS[i]}) "))
            fragments += [*markdown(text, style), ("", "\n")]
        return fragments

    def bindings(self) -> KeyBindings:
        bindings = _common_bindings(self._toggle_help)
        count = len(self.texts)
        for key, step in (("up", -1), ("down", 1), ("s-tab", -1), ("tab", 1)):
            bindings.add(key)(lambda _event, step=step: self._move(step, count))
        for i in range(count):
            bindings.add(LETTERS[i])(lambda _event, i=i: self._letter(i))
        bindings.add("space")(lambda _event: self._toggle(self.cursor))
        bindings.add("enter")(self._confirm)
        return bindings

    def _move(self, step: int, count: int) -> None:
        self.cursor = (self.cursor + step) % count

    def _letter(self, index: int) -> None:
        self.cursor = index
        if self.multi:
            self._toggle(index)

    def _toggle(self, index: int) -> None:
        if self.multi:
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


class TrueFalseMenu(KeyMenu):
    def __init__(self, keys_help: str) -> None:
        super().__init__(keys_help)
        self.chosen: str | None = None

    def body(self) -> Fragments:
        chosen = f" -> {self.chosen}" if self.chosen else ""
        return [
            ("class:letter", "t"),
            ("", " true  /  "),
            ("class:letter", "f"),
            ("", f" false{chosen}\n"),
        ]

    def bindings(self) -> KeyBindings:
        bindings = _common_bindings(self._toggle_help)
        for key, value in (("t", True), ("f", False)):
            bindings.add(key)(lambda event, value=value: self._choose(event, value))
        return bindings

    def _choose(self, event: KeyPressEvent, value: bool) -> None:
        self.chosen = "true" if value else "false"
        event.app.exit(result=("answer", value))


class RubricMenu(KeyMenu):
    """Tick the rubric points your answer covered, then rate yourself."""

    common_help = "Ctrl-C/Ctrl-D also take the suggestion"

    def __init__(self, points: list[str], ticks: list[bool]) -> None:
        super().__init__(
            "Up/Down to move, Space to toggle, 1-4 to rate, Enter takes the suggestion"
        )
        self.points = points
        self.ticks = list(ticks)
        self.cursor = 0

    def body(self) -> Fragments:
        fragments: Fragments = [("class:heading", "Your answer covered (Space toggles):\n")]
        for i, point in enumerate(self.points):
            style = "class:cursor" if i == self.cursor else ""
            mark = "[x]" if self.ticks[i] else "[ ]"
            fragments.append((style, f"{'>' if i == self.cursor else ' '} {mark} {point}\n"))
        suggestion = RATING_NAMES[suggested_rating(self.ticks)]
        ratings = "  ".join(f"{n} {name}" for n, name in RATING_NAMES.items())
        fragments.append(("", f"Rate yourself: {ratings}  (Enter = {suggestion})\n"))
        return fragments

    def bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        bindings.add("c-c")(
            lambda event: event.app.exit(result=self._rated(suggested_rating(self.ticks)))
        )
        bindings.add("c-d")(
            lambda event: event.app.exit(result=self._rated(suggested_rating(self.ticks)))
        )
        bindings.add("?")(lambda _event: self._toggle_help())
        for key, step in (("up", -1), ("down", 1)):
            bindings.add(key)(lambda _event, step=step: self._move(step))
        bindings.add("space")(lambda _event: self._toggle())
        for rating in RATING_NAMES:
            bindings.add(str(rating))(
                lambda event, rating=rating: event.app.exit(result=self._rated(rating))
            )
        bindings.add("enter")(
            lambda event: event.app.exit(result=self._rated(suggested_rating(self.ticks)))
        )
        return bindings

    def _move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.points)

    def _toggle(self) -> None:
        self.ticks[self.cursor] = not self.ticks[self.cursor]

    def _rated(self, rating: int) -> SelfRating:
        return SelfRating(list(self.ticks), rating)


Parse = Callable[[str], object]


class _AnswerValidator(Validator):
    def __init__(self, parse: Parse) -> None:
        self.parse = parse

    def validate(self, document: Document) -> None:
        text = document.text.strip()
        end = len(document.text)  # keep the cursor where the learner was typing
        if text.lower() in ("s", "q", "?"):
            return
        if not text:
            raise ValidationError(end, "type an answer, or s to skip")
        parsed = self.parse(text)
        if isinstance(parsed, Invalid):
            raise ValidationError(end, parsed.reason)


def typed_answer(hint: str, keys_help: str, parse: Parse, multiline: bool = False) -> object:
    """A validated answer, parsed; or a command (skip, quit, end). A multi-line answer
    takes Enter as a newline and is submitted with Esc then Enter (or Alt-Enter); Ctrl-X
    Ctrl-E edits it in $VISUAL or $EDITOR."""
    session: PromptSession[str] = PromptSession(
        multiline=multiline, enable_open_in_editor=multiline
    )
    while True:
        try:
            message = f"answer ({hint}; s skip, q quit, ? help)> "
            if multiline:
                message = f"answer ({hint}; Esc Enter submits, Ctrl-X Ctrl-E opens $EDITOR)\n> "
            text = session.prompt(
                message,
                validator=_AnswerValidator(parse),
                validate_while_typing=False,
                style=STYLE,
                prompt_continuation=lambda width, _line, _wrapped: "." * (width - 1) + " ",
            ).strip()
        except (KeyboardInterrupt, EOFError):
            return END
        command = {"s": SKIP, "q": QUIT}.get(text.lower())
        if command:
            return command
        if text == "?":
            show([("class:hint", f"{keys_help} | {COMMON_HELP}\n")])
            continue
        return ("answer", parse(text))


class ContinueMenu(KeyMenu):
    """After an answer: Enter goes on, p proves the answer, u undoes it, q or Ctrl-C ends."""

    def __init__(self, can_prove: bool, last: bool) -> None:
        super().__init__()
        self.can_prove, self.last = can_prove, last

    def body(self) -> Fragments:
        prove = " | p: prove it with torch" if self.can_prove else ""
        go_on = "Enter: see the summary" if self.last else "Enter: next question | q: quit"
        return [("class:hint", f"{go_on}{prove} | u: undo this answer\n")]

    def _fragments(self) -> Fragments:
        return self.body()

    def bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        for key in ("enter", "space", "n"):
            bindings.add(key)(lambda event: event.app.exit(result=NEXT))
        bindings.add("q")(lambda event: event.app.exit(result=QUIT))
        bindings.add("u")(lambda event: event.app.exit(result=UNDO))
        bindings.add("c-c")(lambda event: event.app.exit(result=END))
        bindings.add("c-d")(lambda event: event.app.exit(result=END))
        if self.can_prove:
            bindings.add("p")(lambda event: event.app.exit(result=PROVE))
        return bindings


class KeyChoice(KeyMenu):
    """A question answered by one key out of ``keys``; Ctrl-C and Ctrl-D pick the last."""

    def __init__(self, question: str, keys: str) -> None:
        super().__init__()
        self.question, self.keys = question, keys

    def body(self) -> Fragments:
        return [("", f"{self.question}\n")]

    def _fragments(self) -> Fragments:
        return self.body()

    def bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        for key in self.keys:
            bindings.add(key)(lambda event, key=key: event.app.exit(result=key))
        for key in ("c-c", "c-d"):
            bindings.add(key)(lambda event: event.app.exit(result=self.keys[-1]))
        return bindings
