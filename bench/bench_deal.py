"""Benchmark the resources ledger: a year of a large borough's contributions, totalled so they reconcile.

A plain script, not a test: ``.venv/bin/python bench/bench_deal.py [--rows 300000]``. It builds a
throwaway database (Django's test copy of the configured one: SQLite in memory by default, or the
`test_` copy of `DATABASE_URL`), generates the demo borough's 200 neighbourhoods, bulk-inserts a
year of contributions from every sector, then times:

- ``resources_in`` for the year (the social productivity account's call; target < 1 s at 300,000 rows),
  for one district, and twelve monthly calls;
- the commissioners' ledger page with its sector and month tables (one request, and its number of
  queries), its next page, a filtered view, and the public Deal page's table;
- importing 10,000 CSV rows, and running the same file again (idempotent: nothing changes).

Prints each figure beside its target; exits 1 if the main figure misses it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings")
os.environ.setdefault("COMMONWEAL_DEBUG", "1")
os.environ.setdefault("COMMONWEAL_SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

TARGET_SECONDS = 1.0
START = date(2024, 4, 1)
END = date(2025, 4, 1)


def build(rows: int, seed: int = 11):
    from commonweal.deal.models import Contribution, Sector
    from commonweal.deal.models.ledger import Basis
    from commonweal.deal.valuation import DEFAULT_TIME_RATE, value_of_minutes
    from commonweal.places.demo import build_generated

    place = build_generated(seed)
    hoods = list(place.neighbourhoods.only("pk", "district_id"))
    rng = random.Random(seed)
    rate = DEFAULT_TIME_RATE.pence_per_hour
    batch = []
    for i in range(rows):
        kind = rng.choice(["money", "time", "time", "in_kind"])
        hood = rng.choice(hoods) if rng.random() < 0.9 else None
        c = Contribution(
            place=place, sector=rng.choice(Sector.values), kind=kind, given_on=START + timedelta(days=rng.randrange(365)),
            neighbourhood=hood, district_id=hood.district_id if hood else None, source="demo", external_id=f"b{i}",
            contributor_label="Bench",
        )  # fmt: skip
        if kind == "time":
            c.minutes = rng.randrange(30, 600)
            c.rate_pence_per_hour, c.value_pence = rate, value_of_minutes(c.minutes, rate)
            c.valuation_basis = Basis.REPLACEMENT_COST
        else:
            c.amount_pence = c.value_pence = rng.randrange(100, 1_000_000)
            c.valuation_basis = Basis.CASH if kind == "money" else Basis.MARKET_VALUE
            c.in_kind_category = "space" if kind == "in_kind" else ""
        batch.append(c)
        if len(batch) == 5000:
            Contribution.objects.bulk_create(batch)
            batch = []
    Contribution.objects.bulk_create(batch)
    return place


REPEAT = 1  # reads are timed as the best of this many runs (--repeat), which steadies figures on a busy machine


def timed(label: str, run, target: float | None = None, *, read: bool = True) -> tuple[float, object]:
    seconds = float("inf")
    for _ in range(REPEAT if read else 1):
        start = time.perf_counter()
        result = run()
        seconds = min(seconds, time.perf_counter() - start)
    verdict = "" if target is None else ("ok" if seconds < target else "SLOWER THAN TARGET")
    limit = f"target < {target:.1f} s" if target else ""
    print(f"  {label:<52} {seconds:8.3f} s   {limit:<16} {verdict}")
    return seconds, result


def import_csv(place, count: int) -> str:
    lines = ["reference,date,kind,sector,hours,lsoa"]
    codes = list(place.neighbourhoods.values_list("code", flat=True))
    rng = random.Random(3)
    for i in range(count):
        day = START + timedelta(days=rng.randrange(365))
        lines.append(f"imp-{i},{day},time,residents,{rng.randrange(1, 9)},{rng.choice(codes)}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=1, help="time each read as the best of this many runs")
    args = parser.parse_args()
    global REPEAT
    REPEAT = max(1, args.repeat)
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return run(args.rows, f"{connection.vendor} ({name})")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run(rows: int, database: str) -> int:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from commonweal.accounts.services import create_user, grant_role
    from commonweal.deal.importers import import_contributions_text
    from commonweal.deal.ledger import monthly_totals, resources_in, sector_and_kind_totals

    print(f"Resources ledger: {rows:,} contributions in a year, 200 neighbourhoods, on {database}")
    _, place = timed("build the borough and insert the year", lambda: build(rows), read=False)
    if connection.vendor == "postgresql":
        # What autovacuum does to a freshly loaded table: planner statistics, and a visibility map for index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE deal_contribution")
    main_figure, year = timed(
        "resources_in, the year", lambda: resources_in(place, start=START, end=END), TARGET_SECONDS
    )
    assert year.reconciles(), "the totals do not reconcile"
    assert year.total.count == rows, "rows are missing from the totals"
    district = place.districts.first()
    timed("resources_in, one district", lambda: resources_in(place, start=START, end=END, district=district), 1.0)
    months = [date(2024 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(13)]
    _, parts = timed(
        "resources_in, twelve months",
        lambda: [resources_in(place, start=a, end=b).total for a, b in pairwise(months)],
        3.0,
    )
    assert sum(p.value_pence for p in parts) == year.total.value_pence, "the months do not add up to the year"
    timed("monthly_totals (the ledger's month table)", lambda: monthly_totals(place, start=START, end=END), 1.0)
    user = create_user("bench@bench.test", "Bench", by=None)
    grant_role(user, "commissioner", place=place, by=None)
    client = Client()
    client.force_login(user)
    url = f"/places/{place.code}/deal/ledger/?start={START}&end={END}"
    client.get(f"/places/{place.code}/deal/rates/")  # loads the URLs and templates once, outside the timing
    with CaptureQueriesContext(connection) as queries:
        _, response = timed("the ledger page (one request)", lambda: client.get(url), 2.0)
    assert response.status_code == 200
    print(f"  the ledger page made {len(queries) // REPEAT} queries")
    older = re.search(r"older=([0-9-]+\.[0-9]+)", response.content.decode()).group(1)
    _, deeper = timed("the ledger page, the next page (older)", lambda: client.get(f"{url}&older={older}"), 2.0)
    assert deeper.status_code == 200
    timed("the ledger page, filtered (residents' time)", lambda: client.get(f"{url}&sector=residents&kind=time"), 2.0)
    timed(
        "sector_and_kind_totals (the public Deal page's table)",
        lambda: sector_and_kind_totals(place, start=START, end=END),
        1.0,
    )
    text = import_csv(place, 10_000)
    _, report = timed(
        "import 10,000 CSV rows",
        lambda: import_contributions_text(place, text, file="b.csv", by=None),
        10.0,
        read=False,
    )
    _, again = timed(
        "import the same file again",
        lambda: import_contributions_text(place, text, file="b.csv", by=None),
        5.0,
        read=False,
    )
    print(f"  imports: {report.summary()} | again: {again.summary()}")
    print(f"  year: £{year.total.value_pounds:,.2f}, {year.total.hours:,} hours, {year.total.count:,} contributions")
    return 0 if main_figure < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
