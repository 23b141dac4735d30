"""Benchmark: the caseload and a person's timeline with 100,000 people in the database.

Target (issue 8): both pages under 200 ms at the 95th percentile.

    .venv/bin/python bench/bench_people.py                  # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonweal_people_bench .venv/bin/python bench/bench_people.py

People, conversations, wellbeing answers and connections are generated (deterministic) in bulk; the pages are
then timed through the real views (permission check, queries, audit insert, template) with Django's test
client. Not a test: it prints figures beside the target.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdb import reset_database, setup

setup("people")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
TEAMS = 40
TARGET_MS = 200.0
REQUESTS = 60


def generate() -> tuple[object, object, object]:
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation, create_team, create_user, grant_role
    from commonweal.people import services
    from commonweal.people.models import Connection, Conversation, Instrument, Person, WellbeingResponse
    from commonweal.places.demo import build_generated

    rng = random.Random(8)
    place = build_generated(2019)
    council = create_organisation("Council", Organisation.Kind.COUNCIL, place=place, by=None)
    group = create_organisation("Group", Organisation.Kind.COMMUNITY_GROUP, place=place, by=None)
    teams = [create_team(f"Team {i}", organisation=council, place=place, by=None) for i in range(TEAMS)]
    connector = create_user("bench-connector@example.test", "Bench Connector", by=None)
    grant_role(connector, "connector", place=place, by=None, team=teams[0])
    postcodes = list(place.postcodes.values_list("postcode", "neighbourhood_id"))
    today = datetime.date.today()
    ons4 = Instrument.objects.get(code="ons4")
    people = []
    for i in range(PEOPLE):
        postcode, hood = rng.choice(postcodes)
        people.append(
            Person(
                place=place,
                team=teams[i % TEAMS],
                worker=connector if i % TEAMS == 0 and i % 3 == 0 else None,
                full_name=f"Person {i}",
                postcode=postcode,
                neighbourhood_id=hood,
                date_of_birth=datetime.date(1940 + i % 60, 1 + i % 12, 1 + i % 28),
                next_contact_on=today + datetime.timedelta(days=rng.randint(-60, 60)),
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    Conversation.objects.bulk_create(
        [
            Conversation(person=p, place=place, held_on=today, setting="home", what_matters="Getting out more")
            for p in people
        ],
        batch_size=2000,
    )
    WellbeingResponse.objects.bulk_create(
        [
            WellbeingResponse(
                person=p,
                place=place,
                instrument=ons4,
                taken_on=today,
                occasion="baseline",
                scores={"life_satisfaction": 5, "worthwhile": 6, "happiness": 5, "anxiety": 4},
            )
            for p in people
        ],
        batch_size=2000,
    )
    Connection.objects.bulk_create(
        [Connection(person=p, place=place, kind="group", group=group, provider=group) for p in people[::3]],
        batch_size=2000,
    )
    # One person with a long record, written through the services like a real one.
    busy = services.create_person(place, teams[0], by=connector, full_name="Busy Person", worker=connector)
    plan = services.start_plan(busy, by=connector)
    for i in range(40):
        services.record_conversation(
            busy,
            by=connector,
            held_on=today - datetime.timedelta(days=i * 7),
            setting="home",
            what_matters=f"Thing {i}",
        )
        goal = services.add_goal(plan, by=connector, version=plan.version, description=f"Goal {i}")
        services.add_step(goal, by=connector, version=plan.version, description="Step", owner="person")
        c = services.suggest_connection(busy, by=connector, kind="group", group=group)
        services.move_connection(c, "ended", by=connector, version=c.version, end_reason="other")
        services.record_wellbeing(
            busy, ons4, {"life_satisfaction": i % 11, "worthwhile": 5, "happiness": 5, "anxiety": 5}, by=connector
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return place, connector, busy


def timed(client: Client, url: str, params: dict[str, str] | None = None) -> list[float]:
    client.get(url, params or {})  # warm: templates compiled, caches filled
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url, params or {})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    from django.urls import reverse

    from commonweal.people.models import Person

    print(f"database: {connection.vendor}; people: {PEOPLE:,} in {TEAMS} teams")
    start = time.perf_counter()
    reset_database()
    place, connector, busy = generate()
    print(f"generated in {time.perf_counter() - start:.1f} s ({Person.objects.count():,} people)")
    client = Client()
    client.force_login(connector)
    caseload = reverse("people:caseload", args=[place.code])
    rows = [
        ("caseload, follow-ups due", timed(client, caseload)),
        ("caseload, whole team (page 1)", timed(client, caseload, {"show": "all"})),
        ("caseload, whole team (page 20)", timed(client, caseload, {"show": "all", "page": "20"})),
        ("caseload, name search", timed(client, caseload, {"show": "all", "q": "Person 12"})),
        ("timeline of a busy person", timed(client, busy.get_absolute_url())),
    ]
    print(f"\n{'page':<34}{'median ms':>10}{'p95 ms':>10}{'target':>10}")
    for name, times in rows:
        verdict = "ok" if p95(times) < TARGET_MS else "SLOW"
        print(f"{name:<34}{statistics.median(times):>10.1f}{p95(times):>10.1f}{TARGET_MS:>9.0f}  {verdict}")


if __name__ == "__main__":
    main()
