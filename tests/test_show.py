"""`normquiz show ID`: a question with its answer, explanation, proof, related titles and the
learner's history; a drill with its status; an unknown id with the closest ids. Related ids in
the feedback after an answer come with their titles."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import FIXTURE_BANK, bank_file, dedent, question_yaml, run_cli
from normquiz.bank.loader import load_bank
from normquiz.progress.scheduler import AGAIN, GOOD
from normquiz.progress.store import ProgressStore
from normquiz.quiz.layout import plain, wrap
from normquiz.quiz.markdown import CODE_BLOCK
from normquiz.quiz.render import explanation, interval_text
from normquiz.quiz.showing import QuestionView, item_title, show_item

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LONG_CODE = "values = [" + ", ".join(str(i) for i in range(40)) + "]  # one long line"

QUESTIONS = dedent(
    f"""
    schema_version: 1
    questions:
      - id: sc-momentum
        type: single
        topic: bn
        difficulty: 2
        prompt: |
          Which update does `nn.BatchNorm2d(C, momentum=0.1)` apply to
          `running_mean`? Pick one.
        choices:
          - text: "`running_mean = 0.1 * running_mean + 0.9 * m`"
            feedback: That is the Keras convention with PyTorch's number.
          - text: "`running_mean = 0.9 * running_mean + 0.1 * m`"
            correct: true
          - text: the plain average of all batch means
            feedback: Only `momentum=None` averages cumulatively.
        explanation: PyTorch's momentum is the weight of the **new** observation.
        myth: Momentum 0.1 keeps 10% of the history.
        references:
          - title: torch.nn.BatchNorm2d
            url: https://docs.pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
        verify: |
          import torch
          {LONG_CODE}
          answer = None
        related: [sc-ratio, bn-forward, no-such-item]
      - id: sc-ratio
        type: numeric
        topic: bn
        difficulty: 1
        prompt: |
          Ioffe et al. (2015) report a speed-up. By what factor, roughly, did BatchNorm
          reduce the number of training steps of their Inception network to reach the
          same accuracy?
        value: 14
        rel_tol: 0.1
        unit: times
        explanation: Fourteen times fewer steps.
        references:
          - title: Batch Normalization
            authors: [Sergey Ioffe, Christian Szegedy]
            year: 2015
        verify: |
          answer = 14
        verify_kind: illustration
        related: [sc-momentum]
    """
)


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    bank_file(tmp_path / "bank", "show.yaml", header=QUESTIONS)
    return tmp_path / "bank"


def show(*args: str, bank: Path | None = None) -> tuple[int, str, str]:
    extra = ("--bank", str(bank)) if bank else ()
    result = run_cli("show", *args, *extra)
    return result.returncode, result.stdout, result.stderr


def test_a_single_choice_question_with_its_answer_proof_and_related_titles(
    bank_dir: Path,
) -> None:
    code, out, _ = show("sc-momentum", bank=bank_dir)
    assert code == 0
    assert out.startswith("sc-momentum  (single choice, bn, difficulty 2)\n")
    assert "Which update does `nn.BatchNorm2d(C, momentum=0.1)` apply to `running_mean`?" in out
    assert "  [ ] a) `running_mean = 0.1 * running_mean + 0.9 * m`\n" in out
    assert "        That is the Keras convention with PyTorch's number.\n" in out
    assert "  [x] b) `running_mean = 0.9 * running_mean + 0.1 * m`\n" in out
    assert "  [ ] c) the plain average of all batch means\n" in out
    assert "Why: PyTorch's momentum is the weight of the new observation.\n" in out
    assert "Myth corrected: Momentum 0.1 keeps 10% of the history.\n" in out
    assert "  - torch.nn.BatchNorm2d (https://docs.pytorch.org/docs/stable/generated/" in out
    assert "Proof (torch code that computes and checks the answer):\n    import torch\n" in out
    assert f"    {LONG_CODE}\n" in out  # code is never reflowed
    assert "Related (normquiz show ID):\n" in out
    assert "  sc-ratio      Ioffe et al. (2015) report a speed-up.\n" in out
    assert "  bn-forward    BatchNorm forward pass in training mode\n" in out
    assert "  no-such-item\n" in out
    assert "Your history: no answer recorded yet.\n" in out
    assert "\x1b[" not in out


def test_numeric_answer_with_tolerance_and_an_illustration(bank_dir: Path) -> None:
    code, out, _ = show("sc-ratio", bank=bank_dir)
    assert code == 0
    assert "Answer: 14 times (accepted within ± 10%)\n" in out
    assert "Illustration (torch code that shows the answer; it does not prove it):\n" in out
    assert "  - Sergey Ioffe, Christian Szegedy (2015). Batch Normalization.\n" in out


def test_true_false_and_short_answer_questions() -> None:
    code, out, _ = show("fx-bn-one-sample", bank=FIXTURE_BANK)
    assert code == 0 and "(true/false, fixture, difficulty 1)" in out
    assert "Answer: true\n" in out and "Myth corrected: BatchNorm cannot handle" in out
    assert "    assert bn.eval()(torch.randn(1, 10)).shape == (1, 10)\n" in out
    code, out, _ = show("fx-ln-why-transformers", bank=FIXTURE_BANK)
    assert code == 0 and "(short answer, fixture, difficulty 2)" in out
    assert "Model answer:\nLayerNorm normalizes each token over its own features" in out
    assert "  1. Independent of the batch (per-sample, per-token statistics)\n" in out
    assert "  4. Same computation in training and inference; no running statistics\n" in out
    assert "No proof snippet: the references carry this answer.\n" in out


def test_a_drill_with_its_status_hints_and_commands(isolated_home: Path) -> None:
    code, out, _ = show("bn-forward")
    assert code == 0
    assert out.startswith("bn-forward  (drill, bn, difficulty 1)\n\nBatchNorm forward pass")
    assert "Write `batchnorm_forward(x, gamma, beta, eps=1e-5) -> out` with numpy." in out
    assert "Status: pending · hints revealed: 0 of 3\n" in out
    for command in ("drill bn-forward", "watch bn-forward", "check bn-forward FILE"):
        assert f"  normquiz {command}  " in out
    related = out.split("Related (normquiz show ID):\n")[1].splitlines()
    ids = load_bank().drills["bn-forward"].related
    assert ids and [line.split(None, 1) for line in related[: len(ids)]] == [
        [item_id, item_title_of(item_id)] for item_id in ids
    ]
    run_cli("hint", "bn-forward")
    with ProgressStore.open(isolated_home, clock=lambda: T0) as store:
        store.record("bn-forward", AGAIN, False, kind="drill", mode="check")
    code, out, _ = show("bn-forward")
    assert "Status: attempted · hints revealed: 1 of 3\n" in out
    assert "Your history: 1 attempt, 0 right; last one wrong;" in out


def item_title_of(item_id: str) -> str:
    bank = load_bank()
    return item_title(bank.by_id.get(item_id) or bank.drills[item_id])


def test_an_unknown_id_is_one_usage_error_with_the_closest_ids(bank_dir: Path) -> None:
    code, out, err = show("sc-momentm", bank=bank_dir)
    assert code == 2 and out == ""
    [error] = [line for line in err.splitlines() if line.startswith("Error:")]
    assert error.startswith(
        "Error: no question or drill with id 'sc-momentm'; did you mean sc-momentum"
    )
    assert error.endswith("? (`normquiz list` shows them all)")
    code, _, err = show("zzzz")
    assert code == 2 and "id 'zzzz' (`normquiz list` shows them all)" in err


def test_json_of_a_question_and_of_a_drill(bank_dir: Path) -> None:
    code, out, _ = show("sc-momentum", "--json", bank=bank_dir)
    data = json.loads(out)
    assert code == 0 and data["format"] == 1 and data["kind"] == "question"
    assert data["type"] == "single" and data["answer"] == ["b"]
    assert [c["letter"] for c in data["choices"]] == ["a", "b", "c"]
    assert data["choices"][0]["feedback"].startswith("That is the Keras convention")
    assert data["verify_kind"] == "proof" and data["verify"].startswith("import torch\n")
    assert data["related"] == [
        {"id": "sc-ratio", "title": "Ioffe et al. (2015) report a speed-up."},
        {"id": "bn-forward", "title": "BatchNorm forward pass in training mode"},
        {"id": "no-such-item", "title": None},
    ]
    assert data["references"][0]["text"].startswith("torch.nn.BatchNorm2d (https://")
    assert data["history"] == {
        "answers": 0,
        "correct": 0,
        "last_correct": None,
        "due": None,
        "reviews": [],
    }
    numeric = json.loads(show("sc-ratio", "--json", bank=bank_dir)[1])
    assert numeric["answer"] == {"value": 14, "abs_tol": None, "rel_tol": 0.1, "unit": "times"}
    drill = json.loads(show("bn-forward", "--json")[1])
    assert drill["kind"] == "drill" and drill["status"] == "pending"
    assert (drill["hints_revealed"], drill["hints_total"]) == (0, 3)
    assert "normquiz check bn-forward FILE" in drill["commands"]


def test_history_with_a_fixed_clock(bank_dir: Path, isolated_home: Path) -> None:
    bank = load_bank([bank_dir])
    with ProgressStore.open(isolated_home, clock=lambda: T0) as store:
        store.record("sc-momentum", GOOD, True, "b", when=T0 - timedelta(days=3))
        store.record("sc-momentum", AGAIN, False, "a")
        due = store.cards()["sc-momentum"].due
        view = show_item(bank, "sc-momentum", store)
    with ProgressStore.open(isolated_home, clock=lambda: due + timedelta(hours=1)) as store:
        later = plain(show_item(bank, "sc-momentum", store).fragments())
    assert f"last one wrong; due now (since {due.astimezone():%Y-%m-%d %H:%M})\n" in later
    assert isinstance(view, QuestionView)
    text = plain(view.fragments())
    next_in = interval_text(due - T0)
    when = due.astimezone().strftime("%Y-%m-%d %H:%M")
    assert (
        f"Your history: 2 answers, 1 right; last one wrong; next review {when} (in {next_in})\n"
        in text
    )
    assert [line.split()[2:] for line in text.splitlines() if line.startswith("  2026-")] == [
        ["right", "Good", "quiz"],
        ["wrong", "Again", "quiz"],
    ]
    history = view.to_json()["history"]
    assert (history["answers"], history["correct"], history["last_correct"]) == (2, 1, False)
    assert history["due"] == due.isoformat()


def test_show_after_answering_in_a_quiz(isolated_home: Path) -> None:
    run_cli("quiz", "--bank", str(FIXTURE_BANK), "--id", "fx-bn-one-sample", input="f\n")
    _, out, _ = show("fx-bn-one-sample", bank=FIXTURE_BANK)
    assert "Your history: 1 answer, 0 right; last one wrong; next review " in out


def test_code_stays_whole_when_wrapped_for_a_narrow_terminal(bank_dir: Path) -> None:
    with ProgressStore.open() as store:
        view = show_item(load_bank([bank_dir]), "sc-momentum", store)
    wrapped = wrap(view.fragments(), 40)
    assert (CODE_BLOCK, f"    {LONG_CODE}\n") in wrapped
    prose = [line for line in plain(wrapped).splitlines() if not line.startswith("    ")]
    assert max(len(line) for line in prose if max(map(len, line.split()), default=0) < 40) <= 40
    assert "Which update does `nn.BatchNorm2d(C," in prose  # the prompt was wrapped


def test_feedback_in_plain_mode_shows_related_ids_with_titles(bank_dir: Path) -> None:
    result = run_cli("quiz", "--bank", str(bank_dir), "--id", "sc-momentum", input="a\n")
    assert result.returncode == 0
    assert (
        "Related (normquiz show ID):\n"
        "  sc-ratio      Ioffe et al. (2015) report a speed-up.\n"
        "  bn-forward    BatchNorm forward pass in training mode\n"
        "  no-such-item\n"
    ) in result.stdout


def test_explanation_without_titles_lists_the_ids(bank_dir: Path) -> None:
    question = load_bank([bank_dir]).by_id["sc-ratio"]
    assert plain(explanation(question)).endswith("Related (normquiz show ID):\n  sc-momentum\n")


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("Is BatchNorm a linear operation?", "Is BatchNorm a linear operation?"),
        ("Ulyanov et al. (2016) did this. Then Y.", "Ulyanov et al. (2016) did this."),
        ("A **bold** `nn.LayerNorm(8)` claim\nover two lines. More.", None),
        ("A hand-written BatchNorm:\n\n```python\nx = 1\n```\n", "A hand-written BatchNorm:"),
        ("word " * 30, None),
    ],
)
def test_a_question_title_is_its_first_sentence_shortened(prompt: str, title: str | None) -> None:
    from normquiz.bank.schema import TrueFalse

    question = TrueFalse(
        id="t",
        type="true_false",
        topic="bn",
        difficulty=1,
        prompt=prompt,
        answer=True,
        explanation="e",
        references=[{"title": "d", "url": "https://x.org"}],
    )
    got = item_title(question)
    if prompt.startswith("A **bold**"):
        assert got == "A bold nn.LayerNorm(8) claim over two lines."
    elif title is None:
        assert got.endswith("...") and len(got) <= 70 and "  " not in got
    else:
        assert got == title


def test_an_item_its_bank_file_refused_names_the_problem(tmp_path: Path) -> None:
    bank_file(tmp_path, "bad.yaml", question_yaml("bad-one", explanation=None))
    code, out, err = show("bad-one", bank=tmp_path)
    assert code == 1 and out == ""
    assert err.splitlines()[-1].endswith(
        "bad.yaml:3:5: bad-one: explanation: missing required field"
    )
