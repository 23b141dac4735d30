"""Benchmark: the social productivity account of a large borough, and its pages.

Targets (issue 10): a borough of 330,000 residents with 1,000,000 records builds its account in under 5 s,
and the account pages render in under 300 ms at the 95th percentile.

    .venv/bin/python bench/bench_accounting.py                 # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonweal_bench .venv/bin/python bench/bench_accounting.py

The data is generated (deterministic) straight into the tables in bulk; the account and the pages are then
timed through the real code. Not a test: it prints figures beside the targets.
"""

import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdb import reset_database, setup

setup("accounting")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

TARGET_BUILD_S = 5.0
TARGET_PAGE_MS = 300.0
START, END = datetime.date(2024, 4, 1), datetime.date(2025, 4, 1)


def generate() -> tuple[object, int]:
    from commonweal.accounts.models import Organisation, Team
    from commonweal.deal.models import Contribution
    from commonweal.people.models import Connection, Conversation, Instrument, Person, WellbeingResponse
    from commonweal.places.demo import build_generated

    rng = random.Random(330)
    place = build_generated(2019)
    hoods = list(place.neighbourhoods.values_list("id", "population"))
    # Scale the generated borough to 330,000 residents.
    scale = 330_000 / sum(p for _i, p in hoods)
    for hood_id, population in hoods:
        place.neighbourhoods.filter(pk=hood_id).update(population=round(population * scale))
    council = Organisation.objects.create(name="Council", kind="council", place=place)
    team = Team.objects.create(name="Connectors", organisation=council, place=place)
    ons4 = Instrument.objects.get(code="ons4")
    hood_ids = [i for i, _p in hoods]
    days = (END - START).days
    records = 0

    people = [
        Person(place=place, team=team, full_name=f"Resident {n}", neighbourhood_id=rng.choice(hood_ids))
        for n in range(100_000)
    ]
    Person.objects.bulk_create(people, batch_size=5000)
    person_ids = list(Person.objects.filter(place=place).values_list("id", "neighbourhood_id"))
    records += len(person_ids)

    def day() -> datetime.date:
        return START + datetime.timedelta(days=rng.randrange(days))

    Conversation.objects.bulk_create(
        (
            Conversation(person_id=pid, place=place, held_on=day(), setting="home", what_matters="x")
            for pid, _h in person_ids
            for _k in range(3)
        ),
        batch_size=5000,
    )
    records += 3 * len(person_ids)
    connections = []
    for pid, _h in person_ids[:75_000]:
        for _k in range(2):
            referred = day()
            sustained = referred + datetime.timedelta(days=60) if rng.random() < 0.4 else None
            connections.append(
                Connection(
                    person_id=pid,
                    place=place,
                    kind="group",
                    status="referred",
                    referred_on=referred,
                    sustained_on=sustained,
                )
            )
    Connection.objects.bulk_create(connections, batch_size=5000)
    records += len(connections)
    responses = []
    for pid, _h in person_ids[:80_000]:
        base = rng.randint(2, 7)
        responses.append(
            WellbeingResponse(
                person_id=pid,
                place=place,
                instrument=ons4,
                taken_on=START,
                occasion="baseline",
                scores={"life_satisfaction": base},
            )
        )
        responses.append(
            WellbeingResponse(
                person_id=pid,
                place=place,
                instrument=ons4,
                taken_on=day(),
                occasion="follow_up",
                scores={"life_satisfaction": min(10, base + rng.randint(-1, 3))},
            )
        )
    WellbeingResponse.objects.bulk_create(responses, batch_size=5000)
    records += len(responses)
    remaining = 1_000_000 - records
    sectors = ["public", "private", "voluntary", "residents"]

    def money() -> Contribution:
        pence = rng.randint(1_000, 500_000)
        return Contribution(
            place=place,
            sector=rng.choice(sectors),
            kind="money",
            given_on=day(),
            amount_pence=pence,
            value_pence=pence,
            valuation_basis="cash",
            neighbourhood_id=rng.choice(hood_ids),
        )

    Contribution.objects.bulk_create((money() for _n in range(remaining)), batch_size=5000)
    records += remaining
    return place, records


def main() -> None:
    from commonweal.accounting.account import Scope, build_account
    from commonweal.accounting.services import rebuild_account

    print(f"database: {connection.vendor}")
    reset_database()
    began = time.perf_counter()
    place, records = generate()
    print(
        f"generated {records:,} records for {sum(place.neighbourhoods.values_list('population', flat=True)):,} "
        f"residents in {time.perf_counter() - began:.0f} s"
    )
    builds = []
    for _run in range(3):
        began = time.perf_counter()
        build_account(Scope(place, START, END))
        builds.append(time.perf_counter() - began)
    print(
        f"account build (place, a year, 2,000 draws): best {min(builds):.2f} s, worst {max(builds):.2f} s"
        f"   target < {TARGET_BUILD_S:.0f} s"
    )
    rebuild_account(Scope(place, START, END), by=None)
    client = Client()
    url = f"/places/{place.code}/account/?from={START}&to={END}"
    timings = []
    for _n in range(60):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"account page (kept build): median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms"
        f"   target p95 < {TARGET_PAGE_MS:.0f} ms"
    )


if __name__ == "__main__":
    main()
