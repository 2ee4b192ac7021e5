"""The habits of a good CLI: usage errors of the command that failed, "did you mean",
case-insensitive topics and layer names, help in the order a learner works, shell completion,
and a README quick start that leaves `normquiz` on the PATH."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from conftest import REPO, run_cli, run_normquiz
from normquiz.bank.schema import QUESTION_TYPES
from normquiz.cli import COMMANDS
from normquiz.cli.options import QUESTION_TYPE_NAMES
from normquiz.explain import LAYERS

LEARNER_ORDER = [
    *("quiz", "review", "plan", "stats", "show"),
    *("drill", "watch", "check", "hint", "solution", "reset"),
    *("explain", "list", "lint", "new"),
]


def items(*args: str) -> list[str]:
    result = run_cli("list", "--json", *args)
    assert result.returncode == 0, result.stderr
    return [item["id"] for item in json.loads(result.stdout)["items"]]


# --- usage errors and "did you mean" --------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("check", "no-such-drill"), ("show", "no-such-id"), ("list", "--topic", "nope")]
)
def test_a_commands_usage_error_shows_that_commands_usage(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Usage: normquiz {args[0]} [OPTIONS]")
    assert f"Try 'normquiz {args[0]} --help' for help." in result.stderr


def test_an_unknown_command_gets_the_closest_one() -> None:
    result = run_cli("qiuz")
    assert (
        result.returncode == 2 and "No such command 'qiuz'. Did you mean 'quiz'?" in result.stderr
    )


def test_an_unknown_drill_gets_the_closest_ids() -> None:
    result = run_cli("check", "bn-foward")
    assert result.returncode == 2
    assert "unknown drill 'bn-foward'; did you mean bn-forward" in result.stderr
    unlike = run_cli("hint", "zzzz")  # nothing close: every drill is listed
    assert unlike.returncode == 2 and "drills: bn-affine, " in unlike.stderr


def test_an_unknown_topic_names_the_close_ones_and_every_topic() -> None:
    result = run_cli("list", "--topic", "bnn")
    assert result.returncode == 2
    assert re.search(r"unknown topic 'bnn'; did you mean bn\b.*topics: bn, .*rms", result.stderr)
    quiz = run_cli("quiz", "--topic", "layernrom", input="")
    assert quiz.returncode == 2 and "did you mean ln" not in quiz.stderr  # a name, not an id
    assert "unknown topic 'layernrom'" in quiz.stderr


def test_an_unknown_tag_or_type_gets_the_closest() -> None:
    tag = run_cli("list", "--tag", "brief:E7")
    assert tag.returncode == 2 and "did you mean" in tag.stderr and "brief:E07" in tag.stderr
    kind = run_cli("list", "--type", "numerc")
    assert kind.returncode == 2 and "did you mean numeric?" in kind.stderr


# --- topics, types and layer names ----------------------------------------------------------


@pytest.mark.parametrize("spelling", ["BN", "Bn", "batchnorm", "BatchNorm", "batch_norm"])
def test_topics_take_any_case_and_the_layers_name(spelling: str) -> None:
    assert items("--topic", spelling) == items("--topic", "bn") != []


def test_types_take_any_case_and_drill_only_where_drills_are_listed() -> None:
    assert items("--type", "Numeric") == items("--type", "numeric") != []
    assert items("--type", "drill") and items("--type", "DRILL") == items("--type", "drill")
    quiz = run_cli("quiz", "--type", "drill", input="")
    assert quiz.returncode == 2 and "`normquiz drill` lists them" in quiz.stderr
    quiz_help = run_cli("quiz", "--help").stdout
    list_help = run_cli("list", "--help").stdout
    assert "drill" not in _option_help(quiz_help, "--type")
    assert "drill" in _option_help(list_help, "--type")


def test_the_types_in_help_are_the_banks_question_types() -> None:
    assert tuple(QUESTION_TYPES) == QUESTION_TYPE_NAMES


def test_an_empty_filter_value_is_a_usage_error() -> None:
    for option in ("--topic", "--tag", "--type"):
        result = run_cli("list", option, "")
        assert result.returncode == 2 and "empty string" in result.stderr


def _option_help(help_text: str, option: str) -> str:
    """The lines of one option's help (up to the next option)."""
    start = help_text.index(f"  {option} ")
    end = help_text.find("\n  -", start + 1)
    return help_text[start:end]


@pytest.mark.parametrize(
    "spelling, title",
    [
        ("layernorm", "LayerNorm"),
        ("LayerNorm", "LayerNorm"),
        ("LN", "LayerNorm"),
        ("batchnorm", "BatchNorm"),
        ("BatchNorm2d", "BatchNorm"),
        ("groupnorm", "GroupNorm"),
        ("instancenorm", "InstanceNorm"),
        ("InstanceNorm1d", "InstanceNorm"),
        ("rmsnorm", "RMSNorm"),
        ("RMS", "RMSNorm"),
    ],
)
def test_explain_takes_any_case_and_the_layers_name(spelling: str, title: str) -> None:
    result = run_cli("explain", spelling)
    assert result.returncode == 0 and result.stdout.startswith(f"{title}: x of shape")


def test_explain_suggests_the_closest_layer() -> None:
    result = run_cli("explain", "lyernorm")
    assert result.returncode == 2 and "did you mean ln?" in result.stderr
    assert "rms (RMSNorm)" in result.stderr


def test_explain_rms_shares_a_mean_square_not_a_mean_and_variance() -> None:
    rms = " ".join(run_cli("explain", "rms").stdout.split())  # lines joined
    assert "mean and variance" not in rms and "variance" not in rms
    assert "share one mean square" in rms and "no mean is subtracted" in rms
    for name in sorted(set(LAYERS) - {"rms"}):
        assert "share one mean and variance" in " ".join(run_cli("explain", name).stdout.split())


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_piped_explain_has_no_trailing_spaces(name: str) -> None:
    for env in ({}, {"PYTHONIOENCODING": "ascii", "COLUMNS": "50"}):
        result = run_normquiz("explain", name, env=env)
        assert result.returncode == 0 and result.stdout.count("\n") > 12
        padded = [line for line in result.stdout.splitlines() if line != line.rstrip()]
        assert padded == []


# --- help order ---------------------------------------------------------------------------


def test_help_lists_commands_in_the_order_a_learner_uses_them() -> None:
    assert list(COMMANDS) == LEARNER_ORDER
    text = run_cli("--help").stdout
    positions = [re.search(rf"^  {name} ", text, re.MULTILINE) for name in LEARNER_ORDER]
    assert all(positions)
    starts = [match.start() for match in positions if match]
    assert starts == sorted(starts)
    assert text.index("Learn and review:") < starts[0] < text.index("Coding drills:")


# --- a question that gets no answer -----------------------------------------------------


def test_a_question_whose_input_ends_is_one_error_line(tmp_path: Path) -> None:
    run_cli("drill", "bn-forward")
    result = run_normquiz("reset", "bn-forward", input="")
    assert result.returncode == 1 and "Aborted" not in result.stderr
    assert (
        result.stderr.strip()
        == "Error: no answer: the input ended before the question was answered"
    )


def test_ctrl_c_at_a_question_is_an_interruption() -> None:
    run_cli("drill", "bn-forward")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "normquiz", "reset", "bn-forward"],
        cwd=str(REPO),
        encoding="utf-8",
        timeout=30,
    )
    child.expect_exact("[y/N]")
    child.sendintr()
    child.expect_exact("reset interrupted; nothing was recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 and "Aborted" not in (child.before or "")


# --- shell completion ---------------------------------------------------------------------


def complete(words: str) -> list[str]:
    """What click's bash completion offers for the command line ``words`` (last word partial)."""
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    env = {"COMP_WORDS": words, "COMP_CWORD": str(cword), "_NORMQUIZ_COMPLETE": "bash_complete"}
    result = run_normquiz(env=env)
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_completion_offers_commands_ids_topics_and_types() -> None:
    assert complete("normquiz qu") == ["quiz"]
    assert complete("normquiz ") == LEARNER_ORDER
    assert complete("normquiz check bn-forw") == ["bn-forward"]
    assert complete("normquiz watch layernorm-f") == ["layernorm-forward"]
    assert "bn-momentum-rule" in complete("normquiz show bn-momentum-r")
    assert "bn-momentum-rule" in complete("normquiz quiz --id bn-momentum-r")
    assert "bn-forward" not in complete("normquiz quiz --id bn-f")  # a drill is not asked
    assert complete("normquiz list --type nu") == ["numeric"]
    assert "drill" not in complete("normquiz quiz --type ")
    assert {"bn", "ln", "rms"} <= set(complete("normquiz list --topic "))
    assert complete("normquiz explain layer") == ["layernorm"]


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
def test_the_bash_script_completes_in_bash(tmp_path: Path) -> None:
    script = run_normquiz(env={"_NORMQUIZ_COMPLETE": "bash_source"})
    assert script.returncode == 0 and "complete -o nosort -F _normquiz_completion normquiz" in (
        script.stdout
    )
    (tmp_path / "complete.bash").write_text(script.stdout)
    wrapper = tmp_path / "bin" / "normquiz"  # `normquiz` as the PATH finds it after install
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m normquiz "$@"\n')
    wrapper.chmod(0o755)
    probe = (
        ". ./complete.bash\n"
        "COMP_WORDS=(normquiz check bn-forw); COMP_CWORD=2; _normquiz_completion normquiz\n"
        'echo "${COMPREPLY[@]}"\n'
        "COMPREPLY=(); COMP_WORDS=(normquiz re); COMP_CWORD=1; _normquiz_completion normquiz\n"
        'echo "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{wrapper.parent}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines() == ["bn-forward", "review reset"], result.stderr


# --- the README quick start ---------------------------------------------------------------


def readme_block(heading: str) -> list[str]:
    """The commands of the first ```sh block after ``heading`` (comments dropped)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    block = section[section.index("```sh\n") + len("```sh\n") :]
    lines = block[: block.index("```")].splitlines()
    return [line.split("  #")[0].strip() for line in lines if line.strip()]


def test_the_quick_start_installs_then_puts_normquiz_on_the_path() -> None:
    steps = readme_block("## Quick start")
    assert steps[0].startswith("make ") and "normquiz" in steps[-1].split()[0]
    assert any(re.fullmatch(r"(\.|source) \.venv/bin/activate", step) for step in steps)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    target = steps[0].split()[1]
    assert re.search(rf"^{target}:", makefile, re.MULTILINE)


@pytest.mark.skipif(
    not (shutil.which("make") and shutil.which("git") and (REPO / ".git").exists()),
    reason="needs make and a git clone",
)
def test_the_quick_start_run_as_written_in_a_fresh_copy(tmp_path: Path) -> None:
    """A copy of the repository without .venv; the quick start's lines run in one shell
    whose PATH has no `normquiz`; then every documented example runs (no "command not
    found", no traceback). The install is real: about half a minute."""
    copy = tmp_path / "normquiz"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in files:
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    waits = ("normquiz watch", "normquiz lint --exec")  # for a terminal; a few minutes
    examples = [line for line in readme_block("Examples:") if not line.startswith(waits)]
    script = "\n".join(["set -e", *readme_block("## Quick start"), "command -v normquiz"])
    try:
        quick = _shell(script, copy, tmp_path)
        assert quick.returncode == 0, quick.stdout + quick.stderr
        assert quick.stdout.splitlines()[-1] == str(copy / ".venv" / "bin" / "normquiz")
        for line in examples:
            ran = _shell(". .venv/bin/activate\n" + line, copy, tmp_path)
            assert ran.returncode in (0, 1, 2), (line, ran.returncode, ran.stderr)
            assert "Traceback" not in ran.stdout + ran.stderr, (line, ran.stderr)
    finally:
        shutil.rmtree(copy / ".venv", ignore_errors=True)  # a gigabyte


def _shell(script: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """``script`` in bash with stdin at its end and no `normquiz` on the PATH."""
    path = [d for d in os.environ["PATH"].split(":") if d and not (Path(d) / "normquiz").exists()]
    drop = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VIRTUAL_ENV", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PATH=":".join(path), NORMQUIZ_HOME=str(home / "home"), EDITOR="", VISUAL="")
    return subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=900,
    )
