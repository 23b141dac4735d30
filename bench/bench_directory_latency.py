"""How fast `find_offers` answers for a directory of 20,000 offers (target: p95 under 50 ms).

Run: ``.venv/bin/python bench/bench_directory_latency.py`` (SQLite), or with
``DATABASE_URL=postgres://.../commonweal_directory`` for PostgreSQL. ``--services N`` changes the size.

The 402 sample offers are imported, then copied (with their locations, terms and ages, each copy
named after another township) until the place has N offers. Each of the labelled needs is then
searched with its age and postcode, several times over; the timings include every query and the
Python re-ranking. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid

from bench_directory_common import NEEDS, bench_database, wigan_with_sample
from django.db import connection

from commonweal.directory.models import Attribute, Service, ServiceAtLocation
from commonweal.directory.search import find_offers

TARGET_P95_MS = 50.0
ROUNDS = 5
TOWNS = ["Wigan", "Leigh", "Hindley", "Atherton", "Tyldesley", "Golborne", "Standish", "Orrell", "Ince", "Aspull"]


def grow(place, total: int) -> int:
    """Copy the imported offers until the place has `total` of them (bulk, like a large feed import)."""
    originals = list(Service.objects.filter(place=place).prefetch_related("service_at_locations", "attributes"))
    copies, links, attributes = [], [], []
    n = 0
    while len(originals) + len(copies) < total:
        source = originals[n % len(originals)]
        town = TOWNS[(n // len(originals)) % len(TOWNS)]
        copy = Service(
            place=place,
            organisation_id=source.organisation_id,
            oruk_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench:{n}")),
            name=f"{source.name} ({town} {n // len(originals)})",
            description=source.description,
            status=source.status,
            minimum_age=source.minimum_age,
            maximum_age=source.maximum_age,
            eligibility_description=source.eligibility_description,
            last_modified=source.last_modified,
            search_text=f"{source.search_text}\n{town}",
        )
        copies.append((copy, source))
        n += 1
    Service.objects.bulk_create([c for c, _s in copies], batch_size=1000)
    for copy, source in copies:
        links += [
            ServiceAtLocation(service=copy, location_id=link.location_id, oruk_id=f"{copy.oruk_id}:{link.location_id}")
            for link in source.service_at_locations.all()
        ]
        attributes += [
            Attribute(service=copy, taxonomy_term_id=a.taxonomy_term_id, oruk_id=f"{copy.oruk_id}:{a.pk}")
            for a in source.attributes.all()
        ]
    ServiceAtLocation.objects.bulk_create(links, batch_size=2000)
    Attribute.objects.bulk_create(attributes, batch_size=2000)
    return Service.objects.filter(place=place).count()


def settle() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum would in a running system."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=20_000)
    args = parser.parse_args()
    needs = json.loads(NEEDS.read_text())["needs"]
    with bench_database() as database:
        place = wigan_with_sample()
        start = time.perf_counter()
        count = grow(place, args.services)
        settle()
        print(f"Built {count:,} offers in {time.perf_counter() - start:.1f} s on {database}")
        for need in needs[:5]:  # warm the caches and the synonym table
            find_offers(place, need["note"], postcode=need["postcode"], age=need["age"])
        timings = []
        for _round in range(ROUNDS):
            for need in needs:
                start = time.perf_counter()
                matches = find_offers(place, need["note"], postcode=need["postcode"], age=need["age"])
                timings.append((time.perf_counter() - start) * 1000)
                assert matches, need["id"]
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"find_offers over {count:,} offers: {len(timings)} searches ({len(needs)} needs x {ROUNDS})")
    print(f"  p50 {statistics.median(timings):.1f} ms   p95 {p95:.1f} ms   max {timings[-1]:.1f} ms")
    print(f"  target p95 < {TARGET_P95_MS:.0f} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'}")
    print(f"  load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1 / 5 / 15 min) on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
