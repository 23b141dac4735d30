"""Benchmark the indicators engine against PHEindicatormethods (R) on the shared bench inputs.

Run: ``.venv/bin/python bench/bench_indicators.py``. Reads the ``bench_*`` files from
``$COMMONWEAL_REFERENCE_DATA/phe`` (default ``<repo>/../shared/data/phe``), times life expectancy
for 300 areas x 20 bands and the SII for 300 areas x 10 deciles with 100,000 repetitions, checks
the answers against R's outputs, and prints our figures beside R's. Not a test.
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commonweal.engines.indicators import IndicatorsWarning, life_expectancy, sii  # noqa: E402

DATA = Path(os.environ.get("COMMONWEAL_REFERENCE_DATA", ROOT.parent / "shared" / "data")) / "phe"
R_SECONDS = {"life expectancy": "1.0-1.2 s", "SII": "132 s"}
TARGETS = {"life expectancy": 0.020, "SII": 1.5}


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``runs`` timings (the machine is shared), and the last result."""
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def largest_relative_difference(ours: Any, theirs: Any) -> float:
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    return float(np.nanmax(np.abs(ours - theirs) / np.abs(theirs)))


def mean_relative_difference(ours: Any, theirs: Any) -> float:
    """R's testthat tolerance measure: mean |ours - R| / mean |R|."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    return float(np.mean(np.abs(ours - theirs)) / np.mean(np.abs(theirs)))


def bench_life_expectancy() -> tuple[float, list[str]]:
    data = pd.read_csv(DATA / "bench_le_input.csv")
    r_output = pd.read_csv(DATA / "bench_le_output_R.csv")

    def work() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IndicatorsWarning)
            return life_expectancy(data, "deaths", "pops", "startage", by="area")

    seconds, ours = best_of(20, work)
    merged = r_output.merge(ours, on=["area", "startage"], suffixes=("_r", ""))
    checks = []
    for column in ("value", "lowercl", "uppercl"):
        difference = largest_relative_difference(merged[column], merged[f"{column}_r"])
        checks.append(f"{column}: largest relative difference from R {difference:.1e}")
    same_missing = bool((merged["value"].isna() == merged["value_r"].isna()).all())
    checks.append(f"missing values in the same places as R: {same_missing}")
    return seconds, checks


def bench_sii() -> tuple[float, list[str]]:
    data = pd.read_csv(DATA / "bench_sii_input.csv")
    r_normal = pd.read_csv(DATA / "bench_sii_output_R_vt0_reps100000_seed1.csv")
    r_rates = pd.read_csv(DATA / "bench_sii_output_R_vt1log_reps100000_seed1.csv")

    def work() -> Any:
        return sii(data, "decile", "population", value="value", se="se", by="area", rii=True, intercept=True, seed=1)

    seconds, ours = best_of(3, work)
    checks = _compare_sii(ours, r_normal, "value_type 0, se supplied", "cl")
    rates = sii(
        data, "decile", "population", value="rate", lower_cl="rate_lowercl", upper_cl="rate_uppercl",
        value_type=1, transform=True, by="area", rii=True, intercept=True, seed=1,
    )  # fmt: skip
    checks += _compare_sii(rates, r_rates, "value_type 1, log transform", "")
    return seconds, checks


def _compare_sii(ours: Any, r_output: Any, label: str, suffix: str) -> list[str]:
    merged = r_output.merge(ours, on="area", suffixes=("_r", ""))
    exact = max(
        largest_relative_difference(merged[mine], merged[theirs])
        for mine, theirs in (("value", "sii"), ("rii", "rii_r"), ("intercept", "intercept_r"))
    )
    limits = max(
        mean_relative_difference(merged[mine], merged[f"{theirs}{suffix}"])
        for mine, theirs in (
            ("lowercl", "sii_lower95_0"), ("uppercl", "sii_upper95_0"),
            ("rii_lowercl", "rii_lower95_0"), ("rii_uppercl", "rii_upper95_0"),
        )
    )  # fmt: skip
    return [
        f"{label}: SII, RII, intercept largest relative difference from R {exact:.1e}",
        f"{label}: Monte Carlo limits, mean relative difference from R {limits:.4f} (R's tests allow 0.05)",
    ]


def main() -> None:
    if not DATA.exists():
        sys.exit(f"reference data not found at {DATA}; set COMMONWEAL_REFERENCE_DATA to the shared/data folder")
    print(f"{'task':<52} {'ours':>10} {'target':>9} {'R':>11}")
    for name, label, run in (
        ("life expectancy", "life expectancy, 300 areas x 20 bands", bench_life_expectancy),
        ("SII", "SII, 300 areas x 10 deciles, 100,000 reps", bench_sii),
    ):
        seconds, checks = run()
        shown = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
        target = TARGETS[name]
        target_text = f"{target * 1000:.0f} ms" if target < 1 else f"{target} s"
        print(f"{label:<52} {shown:>10} {target_text:>9} {R_SECONDS[name]:>11}")
        for check in checks:
            print(f"    {check}")


if __name__ == "__main__":
    main()
