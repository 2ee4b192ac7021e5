"""The typed protocol between normquiz, the worker and the sandbox child, and the versioned
JSON that commands print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURE_ARGS, FIXTURE_BANK, REPO, run_cli
from normquiz.authoring.proofs import VerifyRequest, VerifyResult
from normquiz.drills.learner_child import CaseReport, LearnerReport
from normquiz.drills.request import CheckRequest, MistakeRef
from normquiz.drills.results import (
    CaseRow,
    CheckResult,
    Diagnosis,
    FirstFailure,
    Tolerance,
    Verdict,
)
from normquiz.sandbox.protocol import WorkerReply, WorkerRequest, WorkerSpec
from normquiz.sandbox.supervisor import CapturedOutput
from normquiz.sandbox.worker import handle

FAILURE = FirstFailure(
    "2d",
    "at index (0, 1): expected 1, got 2",
    "float64",
    ((8, 5), (5,)),
    "out",
    (0, 1),
    1.0,
    2.0,
    1.0,
    0.5,
    Tolerance(1e-8, 1e-7),
)
RESULT = CheckResult(
    "bn-forward",
    "/tmp/bn.py",
    Verdict(
        "fail",
        "1 of 2 cases did not match: 2d",
        (CaseRow("2d", "fail", "out: ...", 1.0, 0.5), CaseRow("n1")),
        (Diagnosis("missing-eps", "you divided by sqrt(var)"),),
        FAILURE,
        CapturedOutput("hi\n", "", 3, 0),
        0.01,
    ),
    0.05,
)


def test_check_result_round_trips_through_json() -> None:
    assert CheckResult.from_json(json.loads(json.dumps(RESULT.to_json()))) == RESULT
    bare = CheckResult("d", "p", Verdict("error", "SyntaxError"), 0.0)
    assert CheckResult.from_json(bare.to_json()) == bare


def test_requests_and_reports_round_trip() -> None:
    request = CheckRequest(
        "/x.py",
        "f",
        "function",
        "bn-forward",
        "batchnorm",
        {"float32": (1e-4, 1e-3)},
        (MistakeRef("m", "why", "/m.py"),),
        ("torch.batch_norm",),
        3,
        2.0,
        512,
    )
    assert CheckRequest.from_json(json.loads(json.dumps(request.to_json()))) == request
    report = LearnerReport(
        (CaseReport(0, outputs=1), CaseReport(1, error="boom", stop=True)), ("torch.batch_norm",)
    )
    assert LearnerReport.from_json(json.loads(json.dumps(report.to_json()))) == report
    verify = VerifyResult("ok", 128.0, None, CapturedOutput(), 0.2)
    assert VerifyResult.from_json(verify.to_json()) == verify
    assert VerifyRequest.from_json(VerifyRequest("answer = 1").to_json()).code == "answer = 1"


@pytest.mark.parametrize(
    "broken",
    [
        lambda d: d | {"stauts": "pass"},  # a misspelled key
        lambda d: {k: v for k, v in d.items() if k != "diagnosis"},  # a missing key
    ],
)
def test_from_json_refuses_unknown_and_missing_keys(broken) -> None:
    with pytest.raises(ValueError):
        CheckResult.from_json(broken(RESULT.to_json()))


def test_worker_messages_and_spec() -> None:
    request = WorkerRequest("check", {"a": 1})
    assert WorkerRequest.from_json(request.to_json()) == request
    reply = WorkerReply({"b": [1, 2]})
    assert WorkerReply.from_json(reply.to_json()) == reply
    spec = WorkerSpec({"check": "m:f"}, ("m:warm",)).merged(WorkerSpec({"verify": "n:g"}, ("n:w",)))
    assert WorkerSpec.from_json(spec.to_json()) == spec
    assert dict(spec.operations) == {"check": "m:f", "verify": "n:g"}
    assert spec.warm == ("m:warm", "n:w")


def test_worker_handles_unknown_ops_and_failing_handlers_without_dying() -> None:
    def failing(payload: dict) -> dict:
        raise ValueError("a bug in a handler")

    handlers = {"echo": lambda payload: payload, "fail": failing}
    assert handle(WorkerRequest("echo", {"x": 1}).to_json(), handlers).payload == {"x": 1}
    assert "unknown operation" in handle(WorkerRequest("nope").to_json(), handlers).internal_error
    assert "a bug in a handler" in handle(WorkerRequest("fail").to_json(), handlers).internal_error
    assert handle("not json", handlers).internal_error


@pytest.mark.usefixtures("shared_worker")
def test_every_json_output_carries_the_format_version(tmp_path: Path) -> None:
    solution = str(REPO / "solutions" / "bn-forward.py")
    outputs = {
        "lint": run_cli("lint", "--json", "--no-bundled", "--bank", str(FIXTURE_BANK)),
        "list": run_cli("list", "--json"),
        "stats": run_cli("stats", "--json"),
        "drill": run_cli("drill", "--json"),
        "check": run_cli("check", "bn-forward", solution, "--json"),
        "check --solutions": run_cli("check", "--solutions", "--json"),
        "quiz": run_cli("quiz", *FIXTURE_ARGS, "-n", "1", "--json", input="s\n"),
        "review": run_cli("review", "-n", "1", "--json", input="q\n"),
    }
    for command, ran in outputs.items():
        data = json.loads(ran.stdout)
        assert isinstance(data, dict) and data["format"] == 1, command


def test_worker_messages_refuse_unknown_and_missing_keys() -> None:
    with pytest.raises(ValueError, match="unknown"):
        WorkerReply.from_json('{"payload": {}, "internal_error": null, "extra": 1}')
    with pytest.raises(ValueError, match="missing"):
        WorkerRequest.from_json('{"op": "check"}')
    data = RESULT.verdict.to_json()
    del data["run_s"]
    with pytest.raises(ValueError, match="run_s"):
        Verdict.from_json(data)


def test_a_malformed_reply_is_a_grader_error_not_a_traceback() -> None:
    from normquiz.exceptions import GraderError
    from normquiz.sandbox.client import SandboxWorker

    # an operation that echoes its payload: not a Verdict
    with SandboxWorker(WorkerSpec({"check": "builtins:dict"})) as worker:
        with pytest.raises(GraderError, match="malformed"):
            worker.call("check", {"x": 1}, Verdict.from_json)
        assert worker.ping() > 0  # the worker is still there


def test_exit_codes_come_from_the_exception_table(monkeypatch) -> None:
    from normquiz import exceptions

    assert run_cli("quiz", *FIXTURE_ARGS, "--topic", "rms").returncode == 1
    monkeypatch.setattr(exceptions.NothingToAsk, "exit_code", 3)
    ran = run_cli("quiz", *FIXTURE_ARGS, "--topic", "rms")
    assert ran.returncode == 3 and ran.stderr.startswith("Error: no questions match")
