"""Short-answer rubrics tick a point only when the learner states it; lint proves each
question's calibration samples; the learner sees which words ticked which point."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURE_ARGS, bank_file, run_cli
from normquiz.bank.rubric import Coverage, check_point, coverage, words
from normquiz.cli import cli


def states(text: str, *keywords: str, unless: tuple[str, ...] = ()) -> bool:
    return check_point(keywords, unless, words(text)).ticked


def test_phrases_match_whole_words_never_a_prefix() -> None:
    assert not states("the statistics are biased for small batches", "bias")
    assert states("the conv bias is redundant", "bias")
    assert not states("a bitter lesson", "bit")
    assert states("it helps a bit", "bit")
    assert not states("momentum 0.95 was used", "0.9")
    assert states("momentum 0.9 was used", "0.9")


def test_a_star_matches_any_ending_of_that_word_only() -> None:
    assert states("Normalization helps", "normaliz*")
    assert states("it normalizes each token", "normaliz* each token")
    assert not states("renormalization helps", "normaliz*")
    assert states("Post-LN needs warmup", "post ln needs warm*")
    assert states("Post-LN needs a warm-up", "post ln needs a warm up")


def test_a_negated_statement_states_nothing() -> None:
    assert not states("LayerNorm does not depend on the batch", "depend* on the batch")
    assert not states("LayerNorm doesn't depend on the batch", "depend* on the batch")
    assert not states("there are no running statistics", "running statistics")
    assert states("it is not linear, it depends on the batch", "depend* on the batch")
    assert states("the statistics are not learned", "not learned")


def test_unless_vetoes_the_point_wherever_it_is_stated() -> None:
    check = check_point(
        ["only gamma and beta"],
        ["mean and variance are learn*"],
        words("Only gamma and beta are trained. Also the mean and variance are learned."),
    )
    assert check.stated == ("only gamma and beta",)
    assert check.contradicted == "mean and variance are learned" and not check.ticked
    assert states(
        "only gamma and beta; the mean and variance are not learned",
        "only gamma and beta",
        unless=("mean and variance are learn*",),
    )


def test_coverage_all_half_and_few() -> None:
    said = words("alpha beta")
    ticks = [check_point([w], [], said).ticked for w in ("alpha", "beta", "gamma")]
    assert coverage(ticks[:2]) is Coverage.ALL
    assert coverage(ticks[1:]) is Coverage.HALF
    assert coverage(ticks[2:]) is Coverage.FEW
    assert coverage([]) is Coverage.FEW


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8).filter(
    lambda w: w not in {"not", "non", "nor", "never", "without", "cannot", "neither"}
)


@given(st.lists(WORD, min_size=1, max_size=4), st.sampled_from(["not", "never", "no"]))
def test_any_phrase_is_stated_by_itself_and_not_by_its_negation(
    phrase: list[str], negation: str
) -> None:
    text = " ".join(phrase)
    assert states(f"I think {text} here.", text)
    assert not states(f"It is {negation} {text}.", text)
    assert not states(f"{text}s", text + "x")


SHORT = """\
  - id: q-short
    type: short
    topic: ln
    difficulty: 1
    prompt: Does LayerNorm depend on the batch?
    explanation: Per-token statistics.
    references: [{title: torch.nn.LayerNorm, url: 'https://docs.pytorch.org/x'}]
    model_answer: No, it normalizes each token over its own features.
    rubric:
      - point: Batch-independent
        keywords: [batch independ*, each token, per token]
      - point: No running statistics
        keywords: [no running stat*]
    samples:
      good:
        - It is batch independent and keeps no running statistics.
        - Each token is normalized alone, with no running stats.
      bad:
        - It uses running statistics across the batch.
{extra_bad}
"""


def lint(tmp_path: Path, extra_bad: str) -> tuple[int, list[dict[str, object]]]:
    path = bank_file(tmp_path, "short.yaml", SHORT.replace("{extra_bad}", extra_bad))
    result = CliRunner().invoke(cli, ["lint", "--no-bundled", "--bank", str(path), "--json"])
    return result.exit_code, json.loads(result.stdout)["problems"]


def test_lint_passes_calibrated_samples(tmp_path: Path) -> None:
    assert lint(tmp_path, "        - It normalizes over the batch.") == (0, [])


def test_a_bad_sample_that_ticks_points_fails_lint_at_its_line(tmp_path: Path) -> None:
    code, problems = lint(
        tmp_path, "        - Per token, and no running statistics, but batch-dependent."
    )
    assert code == 1 and len(problems) == 1
    problem = problems[0]
    assert problem["field"] == "samples.bad[1]" and problem["line"] == 22
    assert "ticks 2 of 2 points" in str(problem["message"])
    assert "per token" in str(problem["message"])


def test_a_good_sample_missing_a_point_and_too_few_samples_fail_lint(tmp_path: Path) -> None:
    text = (
        SHORT.replace("{extra_bad}", "")
        .replace("        - Each token is normalized alone, with no running stats.\n", "")
        .replace("keeps no running statistics", "keeps running statistics")
    )
    path = bank_file(tmp_path, "short.yaml", text)
    result = CliRunner().invoke(cli, ["lint", "--no-bundled", "--bank", str(path)])
    assert result.exit_code == 1
    assert re.search(
        r"short\.yaml:18:\d+: q-short: samples\.good\[0\]: good sample ticks "
        r"1 of 2 points; it misses point\(s\) \[2\]",
        result.stdout,
    )
    assert "samples.good: needs at least 2 good samples" in result.stdout
    assert "samples.bad: needs at least 2 bad samples" in result.stdout


def test_the_learner_sees_which_words_ticked_each_point(isolated_home: Path) -> None:
    args = ("quiz", *FIXTURE_ARGS, "--type", "short", "-n", "1", "--json")
    answer = (
        "Per token statistics make padding harmless,\nbut the layer depends on the batch.\n.\n\n"
    )
    result = run_cli(*args, input=answer)
    assert 'ticked by "padding"' in result.stderr
    assert (
        'you wrote "per token", but also "depends on the batch", which contradicts it'
        in result.stderr
    )
    assert json.loads(result.stdout)["items"][0]["response"]["points"] == [
        False,
        True,
        False,
        False,
    ]
