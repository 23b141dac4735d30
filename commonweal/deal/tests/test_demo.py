"""The demo: the council's eight pledges, a year from every sector, and books that balance."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db.models import Sum

from commonweal.accounts import demo as accounts_demo
from commonweal.deal import demo
from commonweal.deal.ledger import resources_in
from commonweal.deal.models import Contribution, Exchange, HourPosting, MoneyPosting, Pledge, TimeBankMember
from commonweal.places import demo as places_demo


@pytest.fixture
def built(db, monkeypatch):
    monkeypatch.setattr(demo, "CONTRIBUTIONS_PER_YEAR", 600)
    monkeypatch.setattr(demo, "TIME_BANK_RESIDENTS", 30)
    monkeypatch.setattr(demo, "EXCHANGES_PER_YEAR", 200)
    # The demo app's DemoContext sits above this app's layer; the builders need only these attributes.
    context = SimpleNamespace(seed=2019, open_data=None, place=None, objects={}, sign_ins=[], log=lambda _: None)
    for builder in (places_demo.build, accounts_demo.build, demo.build):
        builder(context)
    return context


def test_the_demo_has_eight_council_pledges_a_year_from_every_sector_and_balanced_books(built):
    """One test: building the demo borough takes seconds, so it is built once."""
    place = built.place
    council = Pledge.objects.filter(place=place, organisation=built.objects["council"]).order_by("number")
    assert [p.number for p in council] == list(range(1, 9))
    assert set(Pledge.objects.filter(place=place).values_list("sector", flat=True)) == {
        "public", "private", "voluntary", "residents",
    }  # fmt: skip

    year = resources_in(place, start=date.today() - timedelta(days=366), end=date.today() + timedelta(days=1))
    assert year.reconciles()
    assert all(totals.count for totals in year.by_sector.values())
    assert year.total.count == Contribution.objects.filter(place=place).count()

    assert MoneyPosting.objects.aggregate(total=Sum("amount_pence"))["total"] == 0
    money = Contribution.objects.filter(kind="money")
    assert MoneyPosting.objects.count() == 2 * money.count()
    assert HourPosting.objects.aggregate(total=Sum("minutes"))["total"] == 0
    for member in TimeBankMember.objects.all():
        assert member.balance_minutes == (member.postings.aggregate(total=Sum("minutes"))["total"] or 0)
    completed = Exchange.objects.filter(status="completed")
    assert Contribution.objects.filter(source="timebank").count() == completed.count()
    assert Exchange.objects.filter(status="proposed", recipient__user=built.objects["users"]["resident"]).exists()
