"""normquiz benchmark: each figure is measured beside its baseline in the same run.

    python bench/run.py [--json] [--repeat N] [--warm N]

- startup:   `normquiz --help` vs `python -c "import click"`
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
NORMQUIZ = [PY, "-m", "normquiz"]
SOLUTION = str(REPO / "solutions" / "bn-forward.py")


def timed(command: list[str], repeat: int, env: dict[str, str]) -> float:
    """Median wall time of ``command`` over ``repeat`` runs (after one warm-up run)."""
    subprocess.run(command, capture_output=True, env=env, check=False)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm_checks(count: int) -> list[float]:
    sys.path.insert(0, str(REPO))
    from normquiz.bank.loader import load_bank
    from normquiz.drills.check import check_file
    from normquiz.sandbox.client import GradingWorker

    bank = load_bank(use_env=False)
    drill = bank.drills["bn-forward"]
    times = []
    with GradingWorker() as worker:
        check_file(bank, drill, Path(SOLUTION), worker)  # the first check warms the worker
        for _ in range(count):
            start = time.perf_counter()
            result = check_file(bank, drill, Path(SOLUTION), worker)
            times.append(time.perf_counter() - start)
            assert result["status"] == "pass", result["message"]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--warm", type=int, default=40, help="warm checks to time")
    args = parser.parse_args()
    env = {**os.environ, "NORMQUIZ_HOME": tempfile.mkdtemp(prefix="normquiz-bench-")}

    click_s = timed([PY, "-c", "import click"], args.repeat, env)
    help_s = timed(NORMQUIZ + ["--help"], args.repeat, env)
    torch_s = timed([PY, "-c", "import torch, numpy"], args.repeat, env)
    cold_s = timed(NORMQUIZ + ["check", "bn-forward", SOLUTION], args.repeat, env)
    warm = warm_checks(args.warm)
    solutions_s = timed(NORMQUIZ + ["check", "--solutions"], max(1, args.repeat // 2), env)
    drills = len(json.loads(subprocess.run(NORMQUIZ + ["check", "--solutions", "--json"],
                                           capture_output=True, text=True, env=env).stdout))
    figures = {
        "help_s": help_s, "import_click_s": click_s, "help_ratio": help_s / click_s,
        "cold_check_s": cold_s, "import_torch_numpy_s": torch_s, "cold_ratio": cold_s / torch_s,
        "cold_target_ratio": 1.3,
        "warm_check_median_ms": 1000 * statistics.median(warm), "warm_check_p90_ms":
            1000 * sorted(warm)[int(0.9 * (len(warm) - 1))], "warm_target_ms": 60.0, "warm_checks": len(warm),
        "solutions_s": solutions_s, "solutions": drills, "same_number_of_cold_checks_s": drills * cold_s,
        "solutions_ratio": solutions_s / (drills * cold_s),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"--help              {help_s * 1000:7.0f} ms   vs import click {click_s * 1000:6.0f} ms   "
          f"ratio {figures['help_ratio']:.2f}")
    print(f"cold check          {cold_s:7.2f} s    vs import torch {torch_s:6.2f} s    "
          f"ratio {figures['cold_ratio']:.2f} (target <= 1.3)")
    print(f"warm check median   {figures['warm_check_median_ms']:7.1f} ms   p90 {figures['warm_check_p90_ms']:.1f} ms"
          f"   over {len(warm)} checks (target <= 60 ms)")
    print(f"check --solutions   {solutions_s:7.2f} s    vs {drills} cold checks {drills * cold_s:.2f} s   "
          f"ratio {figures['solutions_ratio']:.2f}")


if __name__ == "__main__":
    main()
