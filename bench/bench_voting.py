"""Benchmark the voting engine on the eight real pabulib elections (not a test).

Times every rule on every file (best wall-clock and best CPU time of ``--repeat`` runs; the rule call only: the file is
read and its identical ballots merged first, timed once on its own row, as pabutools' timings exclude parsing) and
prints our time beside pabutools' from
``expected_outcomes.json``, with whether the selected projects match the reference.

    .venv/bin/python bench/bench_voting.py [--repeat N] [FILE ...]

Reads ``$COMMONWEAL_REFERENCE_DATA/pb`` (default ``<repo>/../shared/data/pb``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from commonweal.engines.voting import (
    Election,
    Outcome,
    greedy,
    method_of_equal_shares,
    read_pabulib,
    sequential_phragmen,
    utilitarian_greedy,
)

RULES: dict[str, tuple[str, Callable[[Election], Outcome]]] = {
    "greedy": ("greedy", greedy),
    "utilitarian_greedy": ("greedy", utilitarian_greedy),
    "mes": ("mes", method_of_equal_shares),
    "mes+add1": ("mes_add1_official", lambda e: method_of_equal_shares(e, completion="add1")),
    "mes+add1+greedy": ("mes_add1_official_greedy", lambda e: method_of_equal_shares(e, completion="add1-greedy")),
    "phragmen": ("phragmen", sequential_phragmen),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", help="file names in the pb folder (default: all in expected_outcomes.json)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per rule; the best time is shown")
    args = parser.parse_args()
    default = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    folder = Path(os.environ.get("COMMONWEAL_REFERENCE_DATA", default)) / "pb"
    expected = json.loads((folder / "expected_outcomes.json").read_text())
    files = args.files or [name for name in expected if not name.startswith("_")]
    print(f"{'file':40} {'rule':16} {'ours s':>8} {'pabutools s':>12} {'speed-up':>9}  match")
    worst = 0.0
    for name in files:
        start, start_cpu = time.perf_counter(), time.process_time()
        election = read_pabulib(folder / name)
        election.profile  # noqa: B018  (merging identical ballots is timed as part of reading)
        read_seconds, read_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        print(f"{name:40} {'read + merge':16} {read_seconds:8.3f} {'':12} {'':9}  {'':5} cpu {read_cpu:.3f}")
        for rule, (key, run) in RULES.items():
            if rule == "phragmen" and election.vote_type not in ("approval", "choose-1"):
                continue
            if rule == "greedy" and election.vote_type == "cumulative":
                key = "greedy_score"
            best = cpu = float("inf")
            for _ in range(args.repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                outcome = run(election)
                best = min(best, time.perf_counter() - start)
                cpu = min(cpu, time.process_time() - start_cpu)
            worst = max(worst, best)
            reference = expected[name].get(key, {})
            theirs = reference.get("seconds") or reference.get("seconds_multiprofile")
            match = "yes" if sorted(outcome.selected) == sorted(reference.get("selected", [])) else "NO"
            speed = f"{theirs / best:8.0f}x" if theirs else f"{'':>9}"
            shown = f"{theirs:12.3f}" if theirs else f"{'-':>12}"
            print(f"{'':40} {rule:16} {best:8.3f} {shown} {speed}  {match:5} cpu {cpu:.3f}")
    print(f"slowest rule call: {worst:.3f} s")
    print(machine())


def machine() -> str:
    """How fast this machine runs plain Python and small numpy calls, so that figures from different machines
    (sessions run on machines up to ~3x apart) can be compared: best of 3 runs of each."""
    loop = numpy_calls = float("inf")
    values = np.random.default_rng(0).random(10_000)
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i
        loop = min(loop, time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(20_000):
            np.minimum(values, 0.5).sum()
        numpy_calls = min(numpy_calls, time.perf_counter() - start)
    return (
        f"machine: a Python loop of 2,000,000 additions {loop:.3f} s; "
        f"20,000 x (minimum, sum) over 10,000 floats {numpy_calls:.3f} s"
    )


if __name__ == "__main__":
    main()
