"""Benchmark a cold start: django.setup() and the first request to a public page, in a fresh process.

Run with ``.venv/bin/python bench/bench_cold_start.py`` (``--path /some/page/`` to time another page,
``--runs N`` for more processes). It migrates a throwaway SQLite database in the temporary directory, with one place in it,
then starts fresh Python processes, so every import is cold; each one times ``django.setup()`` and the
first request to the place's overview page through ``django.test.Client`` (which imports the URLconf
and with it every app's views). Prints the best of the runs beside the target, and the heavy
third-party packages the process had imported by the end; exits 1 if the first request misses the
target. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path(tempfile.gettempdir()) / "commonweal_bench_cold_start.sqlite3"
PLACE_CODE, PLACE_NAME = "E08000010", "Wigan"
TARGET_SECONDS = 0.5  # the first request after setup; management commands start in ~0.75 s in all
HEAVY = ("numpy", "scipy", "pandas", "polars", "pyarrow", "reportlab", "PIL", "jsonschema")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="commonweal.settings",
        COMMONWEAL_DEBUG="true",
        DATABASE_URL=f"sqlite:///{DATABASE}",
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # cold imports, as a server has them, not a recompile of everything
    return env


def _python(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """Run this interpreter on one of our own scripts, in a fresh process."""
    command = [sys.executable, *args]
    return subprocess.run(command, cwd=ROOT, env=_environment(), check=True, text=True, **options)  # noqa: S603 (our own interpreter and scripts)


def _prepare_database() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    manage = str(ROOT / "manage.py")
    _python(manage, "migrate", "--no-input", "--verbosity=0")
    _python(manage, "create_place", PLACE_CODE, PLACE_NAME, stdout=subprocess.DEVNULL)


def _child(path: str) -> None:
    """Runs in the fresh process: time setup and the first request, print them as JSON."""
    start = time.perf_counter()
    import django

    django.setup()
    setup = time.perf_counter() - start

    from django.test import Client

    start = time.perf_counter()
    response = Client().get(path)
    first = time.perf_counter() - start

    start = time.perf_counter()
    Client().get(path)
    second = time.perf_counter() - start

    heavy = sorted(name for name in HEAVY if name in sys.modules)
    status = response.status_code
    print(json.dumps({"setup": setup, "first": first, "second": second, "status": status, "heavy": heavy}))


def _run_once(path: str) -> dict[str, Any]:
    start = time.perf_counter()
    done = _python(__file__, "--child", "--path", path, capture_output=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process"] = time.perf_counter() - start
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=f"/places/{PLACE_CODE}/")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        sys.path.insert(0, str(ROOT))
        _child(options.path)
        return 0

    _prepare_database()
    _run_once(options.path)  # warm the OS file cache and write any missing .pyc files; not counted
    runs = [_run_once(options.path) for _ in range(options.runs)]
    status = {run["status"] for run in runs}
    print(f"Cold start: fresh process, GET {options.path} (status {', '.join(map(str, status))}), best of {len(runs)}")

    def best(key: str) -> float:
        return min(float(run[key]) for run in runs)

    first = best("first")
    verdict = "ok" if first < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"  django.setup()                     {best('setup'):7.3f} s")
    print(f"  first request                      {first:7.3f} s   target < {TARGET_SECONDS:.1f} s   {verdict}")
    print(f"  setup + first request              {min(r['setup'] + r['first'] for r in runs):7.3f} s")
    print(f"  second request                     {best('second') * 1000:7.1f} ms")
    print(f"  whole process (python start, exit) {best('process'):7.3f} s")
    print(f"  heavy packages imported by the end: {', '.join(runs[0]['heavy']) or 'none'}")
    return 0 if first < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
