"""A typed answer (a number, a short answer) on the full screen under its question, read
by prompt-toolkit's TextArea: validated when submitted (an invalid line says why and is not
counted), a short answer over several lines (Esc then Enter submits, Ctrl-X Ctrl-E opens
``$VISUAL``/``$EDITOR``)."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.application.current import get_app
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.key_binding.bindings.open_in_editor import (
    load_emacs_open_in_editor_bindings,
)
from prompt_toolkit.key_binding.key_bindings import KeyBindingsBase
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import FormattedTextControl, HSplit, Window
from prompt_toolkit.layout.containers import Container
from prompt_toolkit.validation import ValidationError, Validator
from prompt_toolkit.widgets import TextArea

from normquiz.quiz.kinds import Invalid
from normquiz.quiz.layout import Fragments, lines_of
from normquiz.quiz.screen import (
    END,
    QUIT,
    SKIP,
    Key,
    Step,
    end_keys,
    exit_with,
    laid_out,
    terminal_width,
)

Parse = Callable[[str], object]
COMMANDS = {"s": SKIP, "q": QUIT}


class AnswerValidator(Validator):
    """A line is an answer ``parse`` accepts, or s, q or ? (skip, quit, help)."""

    def __init__(self, parse: Parse) -> None:
        self.parse = parse

    def validate(self, document: Document) -> None:
        text = document.text.strip()
        end = len(document.text)  # keep the cursor where the learner was typing
        if text.lower() in (*COMMANDS, "?"):
            return
        if not text:
            raise ValidationError(end, "type an answer, or s to skip")
        parsed = self.parse(text)
        if isinstance(parsed, Invalid):
            raise ValidationError(end, parsed.reason)


class TypedAnswer(Step):
    def __init__(
        self, hint: str, keys_help: str, parse: Parse, multiline: bool, context: Fragments
    ) -> None:
        super().__init__(context)
        self.hint, self.keys_help, self.parse, self.multiline = hint, keys_help, parse, multiline
        self.answer = ""
        self.text_area = TextArea(
            multiline=multiline,
            prompt="> ",
            validator=AnswerValidator(parse),
            accept_handler=self._accept,
            dont_extend_height=True,
            get_line_prefix=lambda line, wrapped: ". " if line or wrapped else "",
        )

    def label(self) -> Fragments:
        if self.multiline:
            text = f"Your answer ({self.hint}; Esc then Enter submits, ? alone shows the keys):"
        else:
            text = f"Your answer ({self.hint}; s skip, q quit, ? keys), then Enter:"
        return [("class:heading", text)]

    def area(self) -> Container:
        label = Window(
            FormattedTextControl(lambda: FormattedText(laid_out(self.label()))),
            dont_extend_height=True,
        )
        return HSplit([label, self.text_area], height=lambda: self.heights()[1])

    def area_height(self) -> int:
        width = max(1, terminal_width() - 2)
        lines = self.text_area.buffer.document.lines or [""]
        typed = sum(1 + len(line) // width for line in lines)
        return len(lines_of(laid_out(self.label()))) + typed

    def keys(self) -> list[Key]:
        keys = [Key((), self.keys_help, lambda _event: None)]
        if self.multiline:
            keys.append(Key((), "Ctrl-X Ctrl-E opens $VISUAL/$EDITOR", lambda _event: None))
        return [
            *keys,
            Key((), "s or q alone: skip or quit (answers so far are saved)", lambda _e: None),
            *end_keys(),
        ]

    def footer(self) -> Fragments:
        error = self.text_area.buffer.validation_error
        shown: Fragments = [("class:message", error.message + "\n")] if error else []
        return [*shown, *super().footer()]

    def bindings(self) -> KeyBindingsBase:
        bindings = KeyBindings()
        empty = Condition(lambda: not self.text_area.text)
        bindings.add("c-c")(exit_with(END))
        bindings.add(Keys.SIGINT)(exit_with(END))
        bindings.add("c-d", filter=empty)(exit_with(END))
        if self.multiline:
            bindings.add("escape", "enter")(
                lambda _event: self.text_area.buffer.validate_and_handle()
            )
        for key in self.scroll_keys():
            bindings.add(*key.names)(key.action)
        if not self.multiline:
            return bindings
        return merge_key_bindings([load_emacs_open_in_editor_bindings(), bindings])

    def transcript(self, result: object) -> Fragments:
        if result == SKIP:
            return self.context
        answer: Fragments = [("class:heading", "Your answer:")]
        if self.multiline:
            answer += [("", "\n"), ("", self.answer)]
        else:
            answer += [("", " "), ("class:answer", self.answer)]
        return [*self.context, *answer, ("", "\n")]

    def _accept(self, buffer: Buffer) -> bool:
        text = buffer.text.strip()
        if text == "?":
            self.show_help = not self.show_help
            buffer.reset()
            return True
        self.answer = text
        command = COMMANDS.get(text.lower())
        get_app().exit(result=command or ("answer", self.parse(text)))
        return True


def typed_answer(
    hint: str,
    keys_help: str,
    parse: Parse,
    multiline: bool = False,
    context: Fragments | None = None,
) -> object:
    """A validated answer, parsed; or a command (skip, quit, end)."""
    return TypedAnswer(hint, keys_help, parse, multiline, context or []).run()
