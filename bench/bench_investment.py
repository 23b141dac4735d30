"""Benchmark: a city-sized PB election through the investment app (import, count, export).

Reads a large real pabulib file (Warsaw 2024: 75,255 voters, 118 projects, by default) into the
database, then times building the election from the database, counting it with the process's rule,
and writing it back as a pabulib file. Not a test: it prints figures. Reference data in ../shared/data/pb.

    .venv/bin/python bench/bench_investment.py [file.pb]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonweal_bench .venv/bin/python bench/bench_investment.py
"""

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdb import reset_database, setup  # noqa: E402

setup("investment")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from commonweal.engines.voting import parse_pabulib  # noqa: E402
from commonweal.investment.models import Rule  # noqa: E402
from commonweal.investment.services import import_pabulib  # noqa: E402
from commonweal.investment.voting import election_for, export_pabulib, run_rule  # noqa: E402
from commonweal.places.services import create_place  # noqa: E402


def timed(label: str, action: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = action()
    print(f"  {label:<34} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else settings.COMMONWEAL_REFERENCE_DATA / "pb" / "poland_warszawa_2024_.pb"
    )
    reset_database()
    place = create_place("E08000998", "Bench borough", by=None)
    text = path.read_text(encoding="utf-8-sig")
    print(f"{path.name} on {connection.vendor}")
    process = timed("import (parse and bulk insert)", lambda: import_pabulib(place, text, by=None))
    print(f"  {process.ballots.count():,} ballots, {process.projects.count()} projects")
    election = timed("election from the database", lambda: election_for(process))
    for rule in (Rule.GREEDY, Rule.MES):
        process.rule = rule
        outcome = timed(f"count: {rule.label[:28]}", lambda: run_rule(process, election))
        print(f"    {len(outcome.selected)} projects selected")
    exported = timed("export to pabulib text", lambda: export_pabulib(process))
    same = parse_pabulib(exported) == parse_pabulib(text)
    print(f"  round trip gives the same election: {same}")


if __name__ == "__main__":
    main()
