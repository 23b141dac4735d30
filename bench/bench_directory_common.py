"""What the directory benchmarks share: a throwaway database with Wigan and the sample directory.

The database is Django's test database for the configured one (SQLite in memory by default,
`DATABASE_URL` for PostgreSQL: its `test_` copy), created with migrations and dropped at the end.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings")
os.environ.setdefault("COMMONWEAL_DEBUG", "1")
os.environ.setdefault("COMMONWEAL_SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

DATA = Path(settings.COMMONWEAL_REFERENCE_DATA)
SAMPLE = DATA / "directory" / "sample_directory"
NEEDS = Path(__file__).with_name("directory_needs.json")


@contextmanager
def bench_database() -> Iterator[str]:
    """A fresh, migrated database for the run; dropped afterwards."""
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield f"{connection.vendor} ({name})"
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def wigan_with_sample() -> Any:
    """Wigan with its real neighbourhoods and postcodes, and the sample directory imported."""
    from commonweal.directory.services import import_oruk
    from commonweal.places.services import create_place, import_place_data

    place = create_place("E08000010", "Wigan", by=None)
    import_place_data(place, "deprivation", DATA / "place" / "iod2019_lsoa_england.csv.gz", by=None)
    import_place_data(place, "postcodes", DATA / "place" / "wigan_postcodes.csv", by=None)
    report = import_oruk(place, SAMPLE, by=None)
    if not report.ok:
        raise SystemExit(f"the sample did not import cleanly: {report.rejected[:3]}")
    return place
