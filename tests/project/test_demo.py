"""The demo borough: what `make demo` builds. Built once per test: every app adds its demo data."""

import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from commonweal.accounting.models import AccountSnapshot
from commonweal.accounting.services import default_period
from commonweal.accounts.models import Membership, Role
from commonweal.places.demo import _hex_cells, _neighbourhood_rows
from commonweal.places.models import Place
from commonweal.places.services import create_place


def test_the_demo_borough_is_built_as_promised(db):
    out = io.StringIO()
    call_command("build_demo", stdout=out)
    demo = Place.objects.get(is_demo=True)

    districts = demo.districts.annotate(people=Sum("neighbourhoods__population"))
    assert districts.count() == 7
    assert all(30_000 <= d.people <= 50_000 for d in districts), [d.people for d in districts]
    assert demo.neighbourhoods.count() == 200
    assert demo.neighbourhoods.filter(district=None).count() == 0
    assert demo.neighbourhoods.exclude(boundary=None).count() == 200
    assert demo.postcodes.count() > 2000

    # Deprived like a northern borough: Wigan has 65 of 200 neighbourhoods in England's most deprived fifth.
    assert 55 <= demo.neighbourhoods.filter(imd_decile__lte=2).count() <= 75
    assert demo.neighbourhoods.filter(imd_decile=10).exists()

    # A user for every role, and the sign-ins printed for each.
    assert set(Membership.objects.filter(place=demo).values_list("role", flat=True)) == set(Role.values)
    printed = out.getvalue()
    assert "commonweal-demo" in printed
    assert all(f"{role.label} " in printed for role in Role)

    # The account pages open at once: the place's and each district's accounts are kept for the default period.
    start, end = default_period()
    kept = AccountSnapshot.objects.filter(place=demo, start=start, end=end)
    assert sorted(kept.values_list("level", flat=True)) == ["district"] * 7 + ["place"]

    # Deterministic: the same seed gives the same borough.
    rng = random.Random(2019)
    rows = _neighbourhood_rows(_hex_cells(rng), rng)
    built = list(demo.neighbourhoods.order_by("code").values_list("code", "imd_decile", "population"))
    assert sorted((r["lsoa_code"], r["imd_decile"], r["population"]) for r in rows) == built


def test_building_the_demo_over_an_existing_one_is_refused(db):
    create_place("E08000999", "Northbridge", by=None, is_demo=True)
    with pytest.raises(CommandError, match="exists already"):
        call_command("build_demo", verbosity=0)


def test_the_demo_can_be_built_from_real_open_data(db, reference):
    folder = reference("place", "wigan_iod2019_lsoa.csv").parent
    call_command("build_demo", "--from-open-data", str(folder), stdout=io.StringIO())
    wigan = Place.objects.get(code="E08000010")
    assert wigan.neighbourhoods.count() == 200
    assert wigan.neighbourhoods.filter(imd_decile__lte=2).count() == 65
    assert wigan.districts.count() == 7
    assert wigan.postcodes.count() == 10368
