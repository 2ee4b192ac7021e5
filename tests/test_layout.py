"""Layout by a library: prose wrapped at words (never mid-word) with one hanging-indent rule,
code never reflowed and cut with a visible mark, narrow terminals keeping the numbers, a
question redrawn whole when the terminal is resized, and no escape codes under TERM=dumb."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from vt_screen import NORMQUIZ, Term

from conftest import FIXTURE_ARGS, bank_file, question_yaml, run_cli
from normquiz.progress.scheduler import GOOD
from normquiz.progress.store import ProgressStore
from normquiz.quiz.layout import fit, fold_code, hanging_indent, plain, wrap
from normquiz.quiz.markdown import CODE_BLOCK, markdown
from normquiz.quiz.prove import proof_fragments

ESCAPE = re.compile(r"\x1b")
PROMPT = (
    "A network normalizes activations shaped (N, C, H, W) with several normalization "
    "layers; which statements about their reduction axes and statistics hold?"
)
CHOICES = [
    "GroupNorm with a single group computes exactly what LayerNorm computes over (C, H, W)",
    "InstanceNorm normalizes every sample over all of its channels together at once",
    "BatchNorm keeps running statistics during training and uses them at inference time",
    "RMSNorm subtracts the per-sample mean before dividing by the root mean square value",
]


@pytest.fixture
def long_question(tmp_path: Path) -> Path:
    """A bank with one multiple-choice question whose prompt and choices need wrapping."""
    choices = ", ".join(
        f"{{text: '{text}', correct: {str(i % 2 == 0).lower()}, feedback: 'Because.'}}"
        for i, text in enumerate(CHOICES)
    )
    yaml = question_yaml("lay-long", type="multi", prompt=f"'{PROMPT}'", choices=f"[{choices}]")
    return bank_file(tmp_path / "bank", "long.yaml", yaml)


def broken_words(lines: list[str], texts: list[str]) -> list[str]:
    """Pieces of words on screen: tokens (4 letters or more) that are no word of ``texts``
    (the question and the screen's own words)."""
    known = {w.strip(",.?;()>[]") for text in [*texts, *UI] for w in text.split()}
    tokens = {w.strip(",.?;()>[]") for line in lines for w in line.split()}
    return sorted(token for token in tokens if len(token) >= 4 and token not in known)


UI = ["[1/1] (multiple choice, bn, difficulty 1)", "? shows the keys"]


def opening(choice: str) -> str:
    """A choice's first two words (on its first line at any width)."""
    return " ".join(choice.split()[:2])


def words_whole(lines: list[str], texts: list[str]) -> list[str]:
    """The words (6 letters or more) of ``texts`` that appear on no single line: split."""
    words = {w.strip(",.?;()") for text in texts for w in text.split() if len(w) >= 6}
    return sorted(word for word in words if not any(word in line for line in lines))


# --- the layout functions -------------------------------------------------------------------


@given(
    st.lists(st.text("abcdefghij", min_size=1, max_size=12), min_size=1, max_size=40),
    st.integers(min_value=16, max_value=100),
)
def test_wrap_never_breaks_a_word_and_fits_the_width(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = plain(wrap([("", text + "\n")], width)).splitlines()
    assert all(len(line) <= width for line in lines)
    assert " ".join(" ".join(lines).split()) == text  # every word whole, in order


def test_one_hanging_indent_rule_for_choices_feedback_rubric_and_lists() -> None:
    assert hanging_indent("> [ ] a) text") == len("> [ ] a) ")
    assert hanging_indent("  b) you picked: text") == len("  b) ")
    assert hanging_indent("  1. [x] a rubric point") == len("  1. [x] ")
    assert hanging_indent("  - a reference") == len("  - ")
    assert hanging_indent("Why: prose") == 0
    long = "word " * 30
    for marker in ("> [x] c) ", "  d) you missed: ", "  [ ] a) ", "- "):
        lines = plain(wrap([("class:letter", marker), ("", long + "\n")], 40)).splitlines()
        indent = hanging_indent(marker)
        assert len(lines) > 1 and all(line.startswith(" " * indent + "w") for line in lines[1:])


def test_code_is_never_reflowed_and_long_lines_are_cut_with_a_mark() -> None:
    code = "y = torch.nn.functional.layer_norm(x, normalized_shape=(512,), eps=1e-5)  # long"
    fragments = [("", "Some prose that is long enough to be wrapped at forty.\n")]
    fragments += [(CODE_BLOCK, f"    {code}\n"), (CODE_BLOCK, "    short = 1\n")]
    assert (CODE_BLOCK, f"    {code}\n") in wrap(fragments, 40)  # wrap leaves code alone
    for unicode, mark in ((True, "↩"), (False, "\\")):
        lines = plain(fold_code(fragments, 40, unicode)).splitlines()
        cut = [line for line in lines if line.endswith(mark)]
        assert cut and all(len(line) == 40 for line in cut)
        rest = [line[4:].removesuffix(mark) for line in lines[1:-1]]
        assert "".join(rest) == code  # nothing lost, nothing reflowed
        assert lines[-1] == "    short = 1"


def test_a_proof_is_shown_as_code_cut_not_wrapped() -> None:
    code = "answer = sum(p.numel() for p in torch.nn.GroupNorm(4, 64).parameters())  # 128"
    output = "tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0])"
    fragments = proof_fragments(code, output + "\n", 128, None)
    assert (CODE_BLOCK, f"    {code}\n") in fragments and (
        CODE_BLOCK,
        f"    {output}\n",
    ) in fragments
    lines = plain(fit(fragments, 40, unicode=True)).splitlines()
    assert max(map(len, lines)) <= 40
    code_rows = lines[1 : lines.index("Output:")]
    assert code_rows[0].endswith("↩")
    assert "".join(row[4:].removesuffix("↩") for row in code_rows) == code


def test_markdown_list_items_hang_under_their_text() -> None:
    text = "- " + "an item with enough words to wrap twice at this width " * 2 + "\n"
    lines = plain(wrap(markdown(text), 30)).splitlines()
    assert lines[0].startswith("- ") and all(line.startswith("  ") for line in lines[1:])


# --- the commands at 40 columns --------------------------------------------------------------


@pytest.mark.parametrize("columns", ["40", "100"])
def test_stats_keeps_every_number_and_drops_the_bars_when_narrow(columns: str) -> None:
    with ProgressStore.open() as store:
        for item in ("fx-bn-params", "fx-bn-one-sample"):
            store.record(item, GOOD, True)
    text = run_cli("stats", *FIXTURE_ARGS[:2], env={"COLUMNS": columns}).stdout
    lines = text.splitlines()
    assert all(len(line) <= int(columns) for line in lines)
    fixture = [line.split() for line in lines if line.startswith("fixture ")]
    assert fixture and any("2/3" in row for row in fixture)  # seen/total, whole
    assert any("100%" in row for row in fixture)  # share right, whole
    bars = "█" in text or "░" in text or "#####" in text
    assert bars == (columns == "100")
    assert ("│" in text or "|" in text) == (columns == "100")  # the charts too
    assert words_whole(lines, [text]) == []


@pytest.mark.usefixtures("shared_worker")
def test_check_output_at_40_columns_never_splits_a_number(tmp_path: Path) -> None:
    wrong = tmp_path / "bn.py"
    wrong.write_text(
        "import numpy as np\n\ndef batchnorm_forward(x, gamma, beta, eps=1e-5):\n"
        "    return (x - x.mean(axis=0, keepdims=True)) / np.sqrt(x.var(axis=0, keepdims=True) + eps)\n"
    )
    import json

    data = json.loads(run_cli("check", "bn-forward", str(wrong), "--json").stdout)
    for columns in ("40", "100"):
        text = run_cli("check", "bn-forward", str(wrong), env={"COLUMNS": columns}).stdout
        lines = text.splitlines()
        assert all(len(line) <= int(columns) for line in lines if str(wrong) not in line)
        for case in data["cases"]:
            number = f"{case['max_abs_err']:.2e}"
            assert any(number in line for line in lines), (columns, number)
        messages = [item["message"] for item in data["diagnosis"]]
        assert words_whole(lines, messages) == []


def test_drill_list_prompt_and_hint_wrap_at_words_at_40_columns() -> None:
    env = {"COLUMNS": "40"}
    listing = run_cli("drill", env=env).stdout.splitlines()
    started = run_cli("drill", "bn-forward", env=env).stdout.splitlines()
    hinted = run_cli("hint", "bn-forward", env=env).stdout.splitlines()
    shown = run_cli("show", "bn-momentum-rule", env=env).stdout.splitlines()
    for lines in (listing, started, hinted, shown):
        assert all(len(line) <= 40 for line in lines if "/" not in line)
    assert "  pending  bn-forward" in listing and any("training mode" in x for x in listing)
    assert hinted[0].startswith("Hint 1/3: ") and hinted[1].startswith(" " * len("Hint 1/3: "))
    from normquiz.bank.loader import load_bank

    drill = load_bank(use_env=False).drills["bn-forward"]
    assert words_whole(started, [drill.title, drill.prompt.replace("`", " ")]) == []
    assert words_whole(hinted, [drill.hints[0]]) == []


# --- a real terminal ------------------------------------------------------------------------


def on_screen(term: Term) -> list[str]:
    return term.screen.lines()


def finish_session(term: Term) -> None:
    """Enter after the last answer, then no retry of what was missed; exit status 0."""
    term.send("\r")
    term.wait_for("Score:")
    if any("Retry" in line for line in term.screen.lines()):
        term.send("n")
    assert term.finish() == 0


def before_verdict(lines: list[str]) -> list[str]:
    """The scrollback up to the verdict (which may quote the right choices)."""
    end = next(i for i, line in enumerate(lines) if "Right" in line or "Wrong" in line)
    return lines[:end]


def assert_question_once(lines: list[str]) -> None:
    assert sum("[1/1]" in line for line in lines) == 1, lines
    for choice in CHOICES:
        assert sum(opening(choice) in line for line in lines) == 1, (choice, lines)
    assert words_whole(lines, [PROMPT, *CHOICES]) == [], lines


@pytest.mark.parametrize("columns", [40, 100])
def test_a_question_renders_without_mid_word_breaks(long_question: Path, columns: int) -> None:
    term = Term("quiz", "--bank", str(long_question), "--id", "lay-long", rows=30, columns=columns)
    term.wait_for("? shows the keys")
    assert_question_once(on_screen(term))
    assert all(len(line) <= columns for line in on_screen(term))
    term.send("a\r")  # answered: the question stays in the scrollback once, laid out the same
    term.wait_for("Enter: see the summary")
    assert_question_once(before_verdict(term.screen.history()))
    finish_session(term)


def test_resizing_during_a_question_redraws_it_whole_once(long_question: Path) -> None:
    term = Term("quiz", "--bank", str(long_question), "--id", "lay-long", rows=32, columns=100)
    term.wait_for("? shows the keys")
    for rows, columns in ((32, 40), (20, 40), (24, 60), (32, 100), (20, 40)):
        term.resize(rows, columns)
        time.sleep(0.3)
        term.read(0.4)
        lines = on_screen(term)
        assert all(len(line) <= columns for line in lines)
        assert sum("[1/1]" in line for line in lines) == 1, lines  # the question is on screen
        assert broken_words(lines, [PROMPT, *CHOICES]) == [], lines
        if rows >= 24:  # room for all of it: the question and every choice, once, whole
            assert_question_once(lines)
    term.send(" \r")  # tick the first choice, confirm
    term.wait_for("Enter: see the summary")
    history = before_verdict(term.screen.history())
    assert sum("[1/1]" in line for line in history) == 1
    for choice in CHOICES:
        assert sum(opening(choice) in line for line in history) == 1, history
    finish_session(term)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux (a terminal that reflows) absent")
def test_resizing_in_a_reflowing_terminal_leaves_no_copies(
    long_question: Path, isolated_home: Path, tmp_path: Path
) -> None:
    """tmux reflows the screen on a resize, as the terminal the issue was found in did."""
    socket = str(tmp_path / "tmux")
    tmux = ["tmux", "-S", socket]
    command = f"{NORMQUIZ} quiz --bank {long_question} --id lay-long; sleep 30"
    env = ["-e", f"NORMQUIZ_HOME={isolated_home}", "-e", "PROMPT_TOOLKIT_NO_CPR=1"]
    subprocess.run([*tmux, "new-session", "-d", "-x", "100", "-y", "32", *env, command], check=True)
    try:
        capture = [*tmux, "capture-pane", "-p", "-S", "-"]
        deadline = time.monotonic() + 30
        while (
            "? shows the keys" not in subprocess.run(capture, capture_output=True, text=True).stdout
        ):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        for columns, rows in (("40", "20"), ("60", "24"), ("100", "32")):
            subprocess.run([*tmux, "resize-window", "-x", columns, "-y", rows], check=True)
            time.sleep(0.5)
        subprocess.run([*tmux, "send-keys", "a", "Enter"], check=True)
        time.sleep(1.0)
        shown = subprocess.run(capture, capture_output=True, text=True).stdout.splitlines()
        screen = before_verdict(shown)
        assert sum("[1/1]" in line for line in screen) == 1, screen
        for choice in CHOICES:
            assert sum(opening(choice) in line for line in screen) == 1, screen
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)


def test_term_dumb_gets_no_escape_codes(isolated_home: Path) -> None:
    quiz = Term("quiz", *FIXTURE_ARGS, "--type", "true_false", term="dumb")
    quiz.child.expect(r"answer \(t or f")  # plain mode, chosen by TERM=dumb
    quiz.send("t\r")
    quiz.child.expect("Enter finishes")
    quiz.send("\r")
    quiz.child.expect("Score: 1/1")
    assert quiz.finish() == 0
    assert not ESCAPE.search(quiz.raw), repr(quiz.raw[:300])
    for args in (("stats",), ("show", "bn-momentum-rule"), ("drill",), ()):
        term = Term(*args, term="dumb")
        assert term.finish() == 0
        assert not ESCAPE.search(term.raw), (args, repr(term.raw[:300]))
        assert len(term.raw) > 200


def test_term_dumb_check_prints_no_colour(tmp_path: Path) -> None:
    wrong = tmp_path / "bn.py"
    wrong.write_text("def batchnorm_forward(x, gamma, beta, eps=1e-5):\n    return x\n")
    term = Term("check", "bn-forward", str(wrong), term="dumb")
    assert term.finish() == 1
    assert "FAIL" in term.raw and not ESCAPE.search(term.raw), repr(term.raw[:300])
    coloured = Term("check", "bn-forward", str(wrong), term="xterm")
    assert coloured.finish() == 1 and ESCAPE.search(coloured.raw)  # the test can fail
