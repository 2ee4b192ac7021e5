"""The interactive session in a terminal, built on prompt-toolkit.

Questions and feedback are printed inline (they stay in the scrollback); each answer is
read by a small inline application: a choice menu, t/f keys, a validated number prompt,
or a text prompt followed by a rubric menu for short answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import create_app_session, get_app_session
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import FormattedTextControl, Layout, Window
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style
from prompt_toolkit.validation import ValidationError, Validator

from normquiz.bank.schema import MultiChoice, Numeric, Question, ShortAnswer, SingleChoice, TrueFalse
from normquiz.progress.scheduler import RATING_NAMES
from normquiz.quiz import render
from normquiz.quiz.answers import Invalid, parse_number
from normquiz.quiz.grading import LETTERS, rubric_hits, suggested_rating
from normquiz.quiz.layout import wrap
from normquiz.quiz.session import Session, SessionResult

SKIP, QUIT, END, NEXT, PROVE = "skip", "quit", "end", "next", "prove"

STYLE = Style.from_dict({
    "id": "bold", "muted": "#888888", "good": "ansigreen bold", "bad": "ansired bold",
    "code": "ansicyan", "strong": "bold", "heading": "bold", "letter": "bold", "answer": "bold",
    "cursor": "reverse", "hint": "#888888 italic", "message": "ansiyellow",
})

KEYS_HELP = {
    "single": "Up/Down or a letter to choose, Enter to confirm",
    "multi": "Up/Down to move, Space or a letter to toggle, Enter to confirm",
    "true_false": "t for true, f for false",
    "numeric": "type a number (128, 0.5, 1e-5) and press Enter",
    "short": "type your answer in one line and press Enter",
}
COMMON_HELP = "s skip | q quit (answers so far are saved) | Ctrl-C/Ctrl-D end | ? help"


def terminal_width() -> int:
    return get_app_session().output.get_size().columns


def show(fragments: render.Fragments) -> None:
    """Print styled text, word-wrapped to the terminal."""
    print_formatted_text(FormattedText(wrap(fragments, terminal_width())), style=STYLE, end="")


def _common_bindings(on_help: Callable[[], None]) -> KeyBindings:
    bindings = KeyBindings()
    bindings.add("s")(lambda event: event.app.exit(result=SKIP))
    bindings.add("q")(lambda event: event.app.exit(result=QUIT))
    bindings.add("c-c")(lambda event: event.app.exit(result=END))
    bindings.add("c-d")(lambda event: event.app.exit(result=END))
    bindings.add("?")(lambda event: on_help())
    return bindings


class KeyMenu:
    """An inline menu driven by single keys; subclasses add keys and the body."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.show_help = False
        self.message = ""

    def body(self) -> render.Fragments:
        raise NotImplementedError

    def bindings(self) -> KeyBindings:
        raise NotImplementedError

    def _toggle_help(self) -> None:
        self.show_help = not self.show_help

    def _fragments(self) -> render.Fragments:
        fragments = wrap(self.body(), terminal_width() - 1)
        if self.message:
            fragments.append(("class:message", self.message + "\n"))
        hint = f"{KEYS_HELP.get(self.kind, '')} | {COMMON_HELP}" if self.show_help else "? help"
        fragments.append(("class:hint", hint))
        return fragments

    def run(self) -> object:
        control = FormattedTextControl(self._fragments, focusable=True, show_cursor=False)
        app: Application[object] = Application(
            layout=Layout(Window(control, dont_extend_height=True, wrap_lines=True)),
            key_bindings=self.bindings(), style=STYLE, full_screen=False, erase_when_done=False)
        return app.run()


class ChoiceMenu(KeyMenu):
    def __init__(self, question: SingleChoice | MultiChoice) -> None:
        super().__init__(question.type)
        self.texts = [c.text for c in question.choices]
        self.multi = isinstance(question, MultiChoice)
        self.cursor = 0
        self.selected: set[int] = set()

    def body(self) -> render.Fragments:
        fragments: render.Fragments = []
        for i, text in enumerate(self.texts):
            pointer = ">" if i == self.cursor else " "
            box = ("[x] " if i in self.selected else "[ ] ") if self.multi else ""
            style = "class:cursor" if i == self.cursor else ""
            fragments.append((style, f"{pointer} {box}{LETTERS[i]}) "))
            fragments += render.inline_markdown(text, style) + [("", "\n")]
        return fragments

    def bindings(self) -> KeyBindings:
        bindings = _common_bindings(self._toggle_help)
        count = len(self.texts)
        for key, step in (("up", -1), ("down", 1), ("s-tab", -1), ("tab", 1)):
            bindings.add(key)(lambda event, step=step: self._move(step, count))
        for i in range(count):
            bindings.add(LETTERS[i])(lambda event, i=i: self._letter(i))
        bindings.add("space")(lambda event: self._toggle(self.cursor))
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

    def _confirm(self, event) -> None:
        if not self.multi:
            self.selected = {self.cursor}
            event.app.exit(result=("answer", self.cursor))
        elif self.selected:
            event.app.exit(result=("answer", tuple(sorted(self.selected))))
        else:
            self.message = "select at least one choice (Space or its letter), then Enter"


class TrueFalseMenu(KeyMenu):
    def __init__(self) -> None:
        super().__init__("true_false")
        self.chosen: str | None = None

    def body(self) -> render.Fragments:
        chosen = f" -> {self.chosen}" if self.chosen else ""
        return [("class:letter", "t"), ("", " true  /  "), ("class:letter", "f"), ("", f" false{chosen}\n")]

    def bindings(self) -> KeyBindings:
        bindings = _common_bindings(self._toggle_help)
        for key, value in (("t", True), ("f", False)):
            bindings.add(key)(lambda event, value=value: self._choose(event, value))
        return bindings

    def _choose(self, event, value: bool) -> None:
        self.chosen = "true" if value else "false"
        event.app.exit(result=("answer", value))


class RubricMenu(KeyMenu):
    """Tick the rubric points your answer covered, then rate yourself."""

    def __init__(self, question: ShortAnswer, ticks: list[bool]) -> None:
        super().__init__("rubric")
        self.points = [p.point for p in question.rubric]
        self.ticks = list(ticks)
        self.cursor = 0

    def body(self) -> render.Fragments:
        fragments: render.Fragments = [("class:heading", "Your answer covered (Space toggles):\n")]
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
        bindings.add("c-c")(lambda event: event.app.exit(result=self._rated(suggested_rating(self.ticks))))
        bindings.add("c-d")(lambda event: event.app.exit(result=self._rated(suggested_rating(self.ticks))))
        bindings.add("?")(lambda event: self._toggle_help())
        for key, step in (("up", -1), ("down", 1)):
            bindings.add(key)(lambda event, step=step: self._move(step))
        bindings.add("space")(lambda event: self._toggle())
        for rating in RATING_NAMES:
            bindings.add(str(rating))(lambda event, rating=rating: event.app.exit(result=self._rated(rating)))
        bindings.add("enter")(lambda event: event.app.exit(result=self._rated(suggested_rating(self.ticks))))
        return bindings

    def _move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.points)

    def _toggle(self) -> None:
        self.ticks[self.cursor] = not self.ticks[self.cursor]

    def _rated(self, rating: int) -> tuple[str, int, list[bool]]:
        return ("rated", rating, list(self.ticks))


class _AnswerValidator(Validator):
    def __init__(self, question: Question) -> None:
        self.question = question

    def validate(self, document) -> None:
        text = document.text.strip()
        end = len(document.text)  # keep the cursor where the learner was typing
        if text.lower() in ("s", "q", "?"):
            return
        if not text:
            raise ValidationError(end, "type an answer, or s to skip")
        parsed = parse_number(text) if isinstance(self.question, Numeric) else text
        if isinstance(parsed, Invalid):
            raise ValidationError(end, parsed.reason)


def _typed_answer(question: Question) -> object:
    """A validated line of text: a number or a short answer, or a command."""
    session: PromptSession[str] = PromptSession()
    while True:
        try:
            message = f"answer ({render.answer_hint(question)}; s skip, q quit, ? help)> "
            text = session.prompt(message, validator=_AnswerValidator(question),
                                  validate_while_typing=False, style=STYLE).strip()
        except (KeyboardInterrupt, EOFError):
            return END
        command = {"s": SKIP, "q": QUIT}.get(text.lower())
        if command:
            return command
        if text == "?":
            show([("class:hint", f"{KEYS_HELP[question.type]} | {COMMON_HELP}\n")])
            continue
        return ("answer", parse_number(text) if isinstance(question, Numeric) else text)


class _ContinueMenu(KeyMenu):
    def __init__(self, can_prove: bool, last: bool) -> None:
        super().__init__("continue")
        self.can_prove, self.last = can_prove, last

    def body(self) -> render.Fragments:
        prove = " | p: prove it with torch" if self.can_prove else ""
        go_on = "Enter: see the summary" if self.last else "Enter: next question | q: quit"
        return [("class:hint", f"{go_on}{prove}\n")]

    def _fragments(self) -> render.Fragments:
        return self.body()

    def bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        for key in ("enter", "space", "n"):
            bindings.add(key)(lambda event: event.app.exit(result=NEXT))
        bindings.add("q")(lambda event: event.app.exit(result=QUIT))
        bindings.add("c-c")(lambda event: event.app.exit(result=END))
        bindings.add("c-d")(lambda event: event.app.exit(result=END))
        if self.can_prove:
            bindings.add("p")(lambda event: event.app.exit(result=PROVE))
        return bindings


class TerminalQuiz:
    def __init__(self, session: Session, unicode: bool = True,
                 clock: Callable[[], float] = time.monotonic) -> None:
        from normquiz.quiz.prove import Prover

        self.session, self.unicode, self.clock = session, unicode, clock
        self.prover = Prover()

    def run(self) -> SessionResult:
        try:
            return self._run()
        finally:
            self.prover.close()

    def _after_answer(self, question: Question) -> str:
        """Enter goes on, p proves (then asks again), q or Ctrl-C ends."""
        last = self.session.current is None
        while (choice := _ContinueMenu(bool(question.verify), last).run()) == PROVE:
            show([("", "\n")] + self.prover.prove(question))
        return choice

    def _run(self) -> SessionResult:
        while (question := self.session.current) is not None:
            number = self.session.position + 1
            show([("", "\n")] + render.question_header(question, number, self.session.total)
                 + render.inline_markdown(question.prompt.rstrip() + "\n"))
            started = self.clock()
            action = self._read(question)
            if action in (QUIT, END):
                self.session.quit()
            elif action == SKIP:
                self.session.skip()
                show([("class:muted", "skipped\n")])
            else:
                self._grade(question, action, self.clock() - started)
                if self.session.current is None and not question.verify:
                    continue
                if self._after_answer(question) != NEXT:
                    self.session.quit()
        show([("", "\n")] + render.summary(self.session.result))
        return self.session.result

    def _read(self, question: Question) -> object:
        if isinstance(question, SingleChoice | MultiChoice):
            return ChoiceMenu(question).run()
        if isinstance(question, TrueFalse):
            return TrueFalseMenu().run()
        return _typed_answer(question)

    def _grade(self, question: Question, action: object, seconds: float) -> None:
        _, response = action  # type: ignore[misc]
        if isinstance(question, ShortAnswer):
            ticks = rubric_hits(question, str(response))
            show([("", "\n")] + render.short_model_answer(question, ticks))
            _, rating, ticks = RubricMenu(question, ticks).run()  # type: ignore[misc]
            outcome = self.session.answer_short(str(response), ticks, rating, seconds)
            show([("", "\n")] + render.verdict(outcome, self.unicode) + render.explanation(question))
            return
        outcome = self.session.answer(response, seconds)
        show([("", "\n")] + render.verdict(outcome, self.unicode) + render.choice_feedback(outcome)
             + render.explanation(question))


def run_terminal(session: Session, input: Input | None = None, output: Output | None = None,
                 unicode: bool = True) -> SessionResult:
    """Run the interactive session (tests pass a pipe input and a DummyOutput)."""
    with create_app_session(input=input, output=output):
        return TerminalQuiz(session, unicode).run()
