"""Benchmark the SPC engine: 10,000 series x 100 points, all rules and icons, against a 1 s target.

Run with ``.venv/bin/python bench/bench_spc.py``. Prints each timing beside the target; exits 1 if
the main figure misses it. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable

import numpy as np

from commonweal.engines.spc import render_svg, xmr, xmr_batch

SERIES, POINTS, TARGET_SECONDS, REPEATS = 10_000, 100, 1.0, 5


def _data() -> tuple[np.ndarray, np.ndarray]:
    """Deterministic series with noise, some shifts, some trends and a few outliers."""
    rng = np.random.default_rng(20240601)
    values = rng.normal(100, 10, size=(SERIES, POINTS))
    shifted = rng.random(SERIES) < 0.2
    values[shifted, 70:] += rng.normal(15, 5, size=(int(shifted.sum()), 1))
    trending = rng.random(SERIES) < 0.1
    values[trending, 80:] += np.linspace(0, 40, 20)
    spikes = rng.integers(0, POINTS, size=SERIES // 20)
    values[np.arange(SERIES // 20), spikes] += 60
    targets = rng.normal(100, 20, size=SERIES)
    return values, targets


def _best(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    values, targets = _data()
    print(f"SPC engine: {SERIES:,} series x {POINTS} points, all rules and icons (best of {REPEATS})")
    cases: list[tuple[str, Callable[[], object]]] = [
        ("xmr_batch, mode=mdc", lambda: xmr_batch(values, target=targets)),
        ("xmr_batch, mode=nhsrplotthedots", lambda: xmr_batch(values, target=targets, mode="nhsrplotthedots")),
        ("xmr_batch, mdc, rebase at 50", lambda: xmr_batch(values, target=targets, rebase=[50])),
        ("xmr_batch, mdc, baseline of 20", lambda: xmr_batch(values, target=targets, fix_after_n_points=20)),
    ]
    main_figure = 0.0
    for name, run in cases:
        seconds = _best(run)
        main_figure = main_figure or seconds
        verdict = "ok" if seconds < TARGET_SECONDS else "SLOWER THAN TARGET"
        print(f"  {name:<36} {seconds:7.3f} s   target < {TARGET_SECONDS:.1f} s   {verdict}")
    batch = xmr_batch(values, target=targets)
    print("  variation icons:", dict(Counter(batch.variation_icon.tolist()).most_common()))
    print("  assurance icons:", dict(Counter(batch.assurance_icon.tolist()).most_common()))
    one = _best(lambda: [xmr(values[i], target=float(targets[i])) for i in range(100)]) / 100
    print(f"  one chart with xmr() (points as objects)  {one * 1000:7.3f} ms each")
    chart = xmr(values[0], target=float(targets[0]))
    svg = _best(lambda: render_svg(chart))
    print(f"  render_svg of one chart                   {svg * 1000:7.3f} ms")
    return 0 if main_figure < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
