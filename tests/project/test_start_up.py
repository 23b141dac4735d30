"""Start-up imports no heavy library: URL resolution imports every app's views, so they must stay light.

The figures are in `bench/bench_cold_start.py`; this only checks which packages a start has loaded.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "scipy", "pandas", "polars", "pyarrow", "reportlab", "PIL", "jsonschema")

PROBE = (
    "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
    f"print(' '.join(sorted(name for name in {HEAVY!r} if name in sys.modules)))"
)


def test_setup_and_url_resolution_import_no_heavy_library():
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COMMONWEAL_") and k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "commonweal.settings", "COMMONWEAL_DEBUG": "true"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"imported at start-up: {result.stdout.strip()}"
