"""The demo borough: what `make demo` builds."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from commonweal.accounts.models import Membership, Role
from commonweal.places.models import Place


@pytest.fixture
def demo(db):
    call_command("build_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Place.objects.get(is_demo=True)


def test_the_demo_borough_has_seven_districts_of_30_to_50_thousand_people(demo):
    districts = demo.districts.annotate(people=Sum("neighbourhoods__population"))
    assert districts.count() == 7
    assert all(30_000 <= d.people <= 50_000 for d in districts), [d.people for d in districts]
    assert demo.neighbourhoods.count() == 200
    assert demo.neighbourhoods.filter(district=None).count() == 0


def test_the_demo_borough_is_deprived_like_a_northern_borough(demo):
    # Wigan has 65 of its 200 neighbourhoods in England's most deprived fifth; the demo is built alike.
    fifth = demo.neighbourhoods.filter(imd_decile__lte=2).count()
    assert 55 <= fifth <= 75
    assert demo.neighbourhoods.filter(imd_decile=10).exists()
    assert demo.postcodes.count() > 2000
    assert demo.neighbourhoods.exclude(boundary=None).count() == 200


def test_the_demo_has_a_user_for_every_role(demo):
    roles = set(Membership.objects.filter(place=demo).values_list("role", flat=True))
    assert roles == set(Role.values)


def test_the_demo_is_the_same_every_time(demo, django_db_blocker):
    first = list(demo.neighbourhoods.values_list("code", "imd_decile", "population"))
    import random

    from commonweal.places.demo import _hex_cells, _neighbourhood_rows

    rng = random.Random(2019)
    rows = _neighbourhood_rows(_hex_cells(rng), rng)
    assert [(r["lsoa_code"], r["imd_decile"], r["population"]) for r in rows] == first


def test_building_the_demo_twice_is_refused(demo):
    with pytest.raises(CommandError, match="exists already"):
        call_command("build_demo", verbosity=0)


def test_the_demo_can_be_built_from_real_open_data(db, reference):
    folder = reference("place", "wigan_iod2019_lsoa.csv").parent
    call_command("build_demo", "--from-open-data", str(folder), stdout=open("/dev/null", "w"))  # noqa: SIM115
    wigan = Place.objects.get(code="E08000010")
    assert wigan.neighbourhoods.count() == 200
    assert wigan.neighbourhoods.filter(imd_decile__lte=2).count() == 65
    assert wigan.districts.count() == 7
    assert wigan.postcodes.count() == 10368
