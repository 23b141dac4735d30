"""`rebuild_accounts`: the schedule that keeps every account page served from a kept build."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from commonweal.accounting.models import AccountSnapshot
from commonweal.accounting.services import default_period
from commonweal.audit.models import AuditEvent


def _kept(place):
    return sorted(AccountSnapshot.objects.filter(place=place).values_list("level", "area_code", "start", "end"))


def test_the_place_and_each_district_are_kept_for_the_default_period(place, other_place):
    out = io.StringIO()
    call_command("rebuild_accounts", place.code.lower(), stdout=out)
    start, end = default_period()
    districts = sorted(place.districts.values_list("code", flat=True))
    assert _kept(place) == sorted([("place", "", start, end)] + [("district", code, start, end) for code in districts])
    assert not AccountSnapshot.objects.filter(place=other_place).exists()  # only the place asked for
    assert f"{1 + len(districts)} accounts kept" in out.getvalue()
    # Run again (as a nightly schedule does): the same accounts, replaced rather than added.
    before = AuditEvent.objects.count()
    call_command("rebuild_accounts", place.code, stdout=io.StringIO())
    assert len(_kept(place)) == 1 + len(districts)
    assert AuditEvent.objects.count() == before + 1 + len(districts)  # every build is on the record


def test_a_period_and_neighbourhoods_can_be_asked_for(place):
    call_command("rebuild_accounts", place.code, "--start", "2024-04", "--end", "2025-04", "--neighbourhoods",
                 stdout=io.StringIO())  # fmt: skip
    kept = _kept(place)
    neighbourhoods = place.neighbourhoods.count()
    assert len(kept) == 1 + place.districts.count() + neighbourhoods
    assert {(s, e) for _, _, s, e in kept} == {(datetime.date(2024, 4, 1), datetime.date(2025, 4, 1))}
    assert sum(level == "neighbourhood" for level, *_ in kept) == neighbourhoods


def test_every_place_is_kept_when_none_is_named(place, other_place):
    call_command("rebuild_accounts", stdout=io.StringIO())
    assert _kept(place)
    assert _kept(other_place)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["E99999999"], "no place with code E99999999"),
        (["--start", "2024-04"], "give both --start and --end"),
        (["--start", "April", "--end", "2025-04"], "'April' is not a month written as YYYY-MM"),
        (["--start", "2025-04", "--end", "2024-04"], "the period is empty"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason_and_keep_nothing(place, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("rebuild_accounts", *arguments, stdout=io.StringIO())
    assert not AccountSnapshot.objects.exists()
