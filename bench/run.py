"""normquiz benchmark: each figure is measured beside its baseline in the same run.

    python bench/run.py [--json] [--repeat N] [--warm N]

- startup:   `normquiz --help` vs `python -c "import click"` (target <= 1.3x)
- cold:      a cold `normquiz check` vs `python -c "import torch, numpy"` (target <= 1.3x)
- warm:      median of many checks through one warm worker (target <= 60 ms)
- solutions: `check --solutions` total vs the same number of cold checks
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
# What users run: the installed console script (``python -m normquiz`` adds runpy's cost).
SCRIPT = Path(PY).parent / "normquiz"
NORMQUIZ = [str(SCRIPT)] if SCRIPT.exists() else [PY, "-m", "normquiz"]
SOLUTION = str(REPO / "solutions" / "bn-forward.py")
TARGETS = {"help_ratio": 1.3, "cold_ratio": 1.3, "warm_check_median_ms": 60.0}


def run_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, env=env, check=False)
    return time.perf_counter() - start


def timed_pair(
    baseline: list[str], command: list[str], repeat: int, env: dict[str, str]
) -> tuple[float, float]:
    """Median wall times of ``baseline`` and ``command``, run alternately (after one warm-up
    run each) so that a slow spell of the machine weighs on both alike."""
    run_once(baseline, env), run_once(command, env)
    pairs = [(run_once(baseline, env), run_once(command, env)) for _ in range(repeat)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def timed(command: list[str], repeat: int, env: dict[str, str]) -> float:
    """Median wall time of ``command`` over ``repeat`` runs (after one warm-up run)."""
    run_once(command, env)
    return statistics.median(run_once(command, env) for _ in range(repeat))


def warm_checks(count: int) -> list[float]:
    sys.path.insert(0, str(REPO))
    from normquiz.bank.loader import load_bank
    from normquiz.drills.check import check_file
    from normquiz.drills.worker import grading_worker

    bank = load_bank(use_env=False)
    drill = bank.drills["bn-forward"]
    times = []
    with grading_worker() as worker:
        check_file(bank, drill, Path(SOLUTION), worker)  # the first check warms the worker
        for _ in range(count):
            start = time.perf_counter()
            result = check_file(bank, drill, Path(SOLUTION), worker)
            times.append(time.perf_counter() - start)
            assert result.passed, result.verdict.message
    return times


def solutions_count(env: dict[str, str]) -> int:
    command = [*NORMQUIZ, "check", "--solutions", "--json"]
    output = subprocess.run(command, capture_output=True, text=True, env=env).stdout
    return len(json.loads(output)["results"])


def measure(repeat: int, warm_count: int) -> dict[str, float]:
    # Byte-compile first, as an installed package is: with PYTHONDONTWRITEBYTECODE set (or a
    # read-only checkout) every run would otherwise compile normquiz's modules again.
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "normquiz")], check=True)
    with tempfile.TemporaryDirectory(prefix="normquiz-bench-") as home:
        return _measure_in({**os.environ, "NORMQUIZ_HOME": home}, repeat, warm_count)


def _measure_in(env: dict[str, str], repeat: int, warm_count: int) -> dict[str, float]:
    quick = max(repeat, 31)  # start-up takes tens of ms: more runs for a stable median
    click_s, help_s = timed_pair([PY, "-c", "import click"], [*NORMQUIZ, "--help"], quick, env)
    torch_s, cold_s = timed_pair(
        [PY, "-c", "import torch, numpy"],
        [*NORMQUIZ, "check", "bn-forward", SOLUTION],
        repeat,
        env,
    )
    warm = warm_checks(warm_count)
    solutions_s = timed([*NORMQUIZ, "check", "--solutions"], max(1, repeat // 2), env)
    drills = solutions_count(env)
    return {
        "help_s": help_s,
        "import_click_s": click_s,
        "help_ratio": help_s / click_s,
        "cold_check_s": cold_s,
        "import_torch_numpy_s": torch_s,
        "cold_ratio": cold_s / torch_s,
        "warm_check_median_ms": 1000 * statistics.median(warm),
        "warm_check_p90_ms": 1000 * sorted(warm)[int(0.9 * (len(warm) - 1))],
        "warm_checks": len(warm),
        "solutions_s": solutions_s,
        "solutions": drills,
        "same_number_of_cold_checks_s": drills * cold_s,
        "solutions_ratio": solutions_s / (drills * cold_s),
    }


def report(f: dict[str, float]) -> str:
    return "\n".join(
        [
            f"--help              {f['help_s'] * 1000:7.0f} ms   vs import click "
            f"{f['import_click_s'] * 1000:6.0f} ms   ratio {f['help_ratio']:.2f} (target <= 1.3)",
            f"cold check          {f['cold_check_s']:7.2f} s    vs import torch "
            f"{f['import_torch_numpy_s']:6.2f} s    ratio {f['cold_ratio']:.2f} (target <= 1.3)",
            f"warm check median   {f['warm_check_median_ms']:7.1f} ms   p90 "
            f"{f['warm_check_p90_ms']:.1f} ms   over {f['warm_checks']:.0f} checks "
            "(target <= 60 ms)",
            f"check --solutions   {f['solutions_s']:7.2f} s    vs {f['solutions']:.0f} cold checks "
            f"{f['same_number_of_cold_checks_s']:.2f} s   ratio {f['solutions_ratio']:.2f}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--warm", type=int, default=40, help="warm checks to time")
    args = parser.parse_args()
    figures = measure(args.repeat, args.warm)
    if args.json:
        print(json.dumps({**figures, "targets": TARGETS}, indent=2))
    else:
        print(report(figures))


if __name__ == "__main__":
    main()
