"""Grading a learner file: runs in the grading process, where learner code never ran.

References and the known mistakes' outputs are computed here; the learner's code runs in
a forked child that only writes plain arrays back.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import signal
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from normquiz.drills.cases import Case
from normquiz.drills.compare import Comparison, compare
from normquiz.drills.protocols import PROTOCOLS
from normquiz.drills.registry import CASE_GENERATORS, REFERENCES, resolve
from normquiz.sandbox.child import child_main
from normquiz.sandbox.supervisor import ChildRun, run_child

FAR_FLOAT32_ATOL = 2e-2  # float32 data near 1e4: correct code errs up to ~3e-3, E[x^2]-E[x]^2 by >= 1


@lru_cache(maxsize=32)
def prepared(cases_name: str, reference_name: str, seed: int) -> tuple[list[Case], list[list]]:
    """The cases and the torch reference outputs, computed once per drill and seed."""
    cases = resolve(CASE_GENERATORS, cases_name)(seed)
    reference = resolve(REFERENCES, reference_name)
    return cases, [reference(case) for case in cases]


@lru_cache(maxsize=128)
def mistake_outputs(path: str, function: str, protocol: str, cases_name: str, seed: int):
    """A known mistake's outputs per case (None where it raised); trusted bundled code."""
    spec = importlib.util.spec_from_file_location(f"mistake_{abs(hash(path))}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = resolve(CASE_GENERATORS, cases_name)(seed)
    results = []
    for case in cases:
        try:
            results.append(PROTOCOLS[protocol](getattr(module, function), case))
        except Exception:  # noqa: BLE001 - a mistake may crash on some inputs
            results.append(None)
    return results


def tolerance(request: dict, case: Case) -> tuple[float, float]:
    tol = request["tolerances"][case.dtype]
    atol = max(tol["atol"], FAR_FLOAT32_ATOL) if case.far and case.dtype == "float32" else tol["atol"]
    return atol, tol["rtol"]


def grade(request: dict) -> dict[str, object]:
    cases, references = prepared(request["cases"], request["reference"], request["seed"])
    job_dir = Path(tempfile.mkdtemp(prefix="normquiz-check-"))
    try:
        run = _run_learner(request, cases, job_dir)
        report_path = job_dir / "report.json"
        report = json.loads(report_path.read_text()) if report_path.exists() else None
        outputs = _load_outputs(job_dir, report, references) if report else None
        result = _verdict(request, run, report, cases, references, outputs)
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
    result["output"] = run.output
    result["run_s"] = round(run.seconds, 4)
    return result


def _run_learner(request: dict, cases: list[Case], job_dir: Path) -> ChildRun:
    learner = Path(request["path"]).resolve()
    protocol = PROTOCOLS[request["protocol"]]
    memory = int(request["memory_mb"]) * 1024 * 1024
    return run_child(lambda fd: child_main(fd, job_dir, learner, request["function"], protocol,
                                           cases, request["banned"], memory),
                     float(request["timeout"]))


def _load_outputs(job_dir: Path, report: dict, references: list) -> list[list[np.ndarray] | None]:
    outputs: list[list[np.ndarray] | None] = [None] * len(references)
    for entry in report.get("cases", []):
        count = entry.get("outputs")
        if count is not None:
            outputs[entry["index"]] = [np.load(job_dir / f"case{entry['index']}_{k}.npy",
                                               allow_pickle=False) for k in range(count)]
    return outputs


def _verdict(request: dict, run: ChildRun, report: dict | None, cases: list[Case],
             references: list, outputs: list | None) -> dict[str, object]:
    if run.timed_out:
        return _result("timeout", f"your code did not finish within {request['timeout']:g} s "
                       "(import and all cases); look for an endless loop")
    if report is None:
        return _result("error", _death_message(run))
    if report.get("harness_error"):
        return _result("error", f"the check could not run your code: {report['harness_error']}")
    if report.get("banned"):  # checked first: a ban may also surface as an import error
        names = ", ".join(report["banned"])
        result = _result("fail", f"your code called {names}, which this drill bans")
        result["diagnosis"] = [{"id": "banned-api", "message": f"you used {names}; this drill "
                                "asks you to write the computation yourself"}]
        return result
    if report.get("import_error"):
        status = "memory" if report.get("memory") else "error"
        return _result(status, report["import_error"])
    return _compare_cases(request, report, cases, references, outputs or [])


def _death_message(run: ChildRun) -> str:
    if run.signal is not None:
        name = signal.Signals(run.signal).name
        return (f"the process running your code was killed by {name} before it finished "
                "(did your code kill its own process, or run out of memory?)")
    return (f"your code ended its process (exit code {run.exit_code}) before the check could "
            "collect results: os._exit() or a crash")


def _result(status: str, message: str) -> dict[str, object]:
    return {"status": status, "message": message, "cases": [], "diagnosis": [], "first_failure": None}


def _compare_cases(request: dict, report: dict, cases: list[Case], references: list,
                   outputs: list) -> dict[str, object]:
    entries = {entry["index"]: entry for entry in report["cases"]}
    rows, first_failure, statuses = [], None, set()
    for index, (case, reference) in enumerate(zip(cases, references)):
        row, failure = _case_row(request, case, reference, entries.get(index), outputs[index])
        rows.append(row)
        statuses.add(row["status"])
        if failure and first_failure is None:
            first_failure = failure
    status = next((s for s in ("memory", "error", "fail") if s in statuses), "pass")
    failed = [r["name"] for r in rows if r["status"] != "pass"]
    verb = {"pass": "", "fail": "did not match", "error": "raised an error or did not match",
            "memory": "ran out of memory or did not match"}[status]
    message = (f"all {len(rows)} cases match PyTorch" if status == "pass"
               else f"{len(failed)} of {len(rows)} cases {verb}: {', '.join(failed[:6])}"
               + (", ..." if len(failed) > 6 else ""))
    diagnosis = _diagnose(request, cases, outputs) if status == "fail" else []
    return {"status": status, "message": message, "cases": rows, "diagnosis": diagnosis,
            "first_failure": first_failure}


def _case_row(request: dict, case: Case, reference: list, entry: dict | None,
              got: list | None) -> tuple[dict, dict | None]:
    row = {"name": case.name, "status": "pass", "message": "", "max_abs_err": None, "max_rel_err": None}
    if entry is None:
        row.update(status="error", message="not run (an earlier case stopped the check)")
        return row, {"case": case.name, "message": row["message"]}
    if "error" in entry or "output_error" in entry:
        memory = entry.get("memory")
        row.update(status="memory" if memory else ("fail" if "output_error" in entry else "error"),
                   message=entry.get("error") or entry.get("output_error"))
        return row, {"case": case.name, "message": row["message"], **_shapes(case)}
    if len(got) != len(reference):
        row.update(status="fail", message=f"returned {len(got)} output(s), expected {len(reference)}")
        return row, {"case": case.name, "message": row["message"], **_shapes(case)}
    atol, rtol = tolerance(request, case)
    worst: tuple[str, Comparison] | None = None
    for (name, want), array in zip(reference, got):
        result = compare(array, want, atol, rtol)
        row["max_abs_err"] = max(row["max_abs_err"] or 0.0, result.max_abs_err or 0.0)
        row["max_rel_err"] = max(row["max_rel_err"] or 0.0, result.max_rel_err or 0.0)
        if not result.ok and worst is None:
            worst = (name, result)
    if worst is None:
        return row, None
    name, result = worst
    row.update(status="fail", message=f"{name}: {result.message}")
    return row, {"case": case.name, "output": name, **_shapes(case), **result.as_json(),
                 "tolerance": {"atol": atol, "rtol": rtol}}


def _shapes(case: Case) -> dict[str, object]:
    arrays = case.steps[:1] + [a for a in case.args if isinstance(a, np.ndarray)]
    return {"dtype": case.dtype, "shapes": [list(a.shape) for a in arrays]}


def _diagnose(request: dict, cases: list[Case], outputs: list) -> list[dict[str, str]]:
    """Known mistakes whose outputs the submission reproduces on every case."""
    if any(o is None for o in outputs):
        return []
    found = []
    for mistake in request["mistakes"]:
        theirs = mistake_outputs(mistake["path"], request["function"], request["protocol"],
                                 request["cases"], request["seed"])
        if all(_same(request, case, mine, other) for case, mine, other in zip(cases, outputs, theirs)):
            found.append({"id": mistake["id"], "message": mistake["explanation"]})
    return found[:1]


def _same(request: dict, case: Case, mine: list, theirs: list | None) -> bool:
    if theirs is None or len(mine) != len(theirs):
        return False
    atol, rtol = tolerance(request, case)
    return all(compare(a, b, atol, rtol, equal_nan=True).ok for a, b in zip(mine, theirs))
