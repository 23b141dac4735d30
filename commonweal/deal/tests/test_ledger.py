"""The resources ledger: valuation, double entry, hostile amounts, and totals that always reconcile."""

import csv
import random
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import IntegrityError, transaction

from commonweal.audit.models import AuditEvent
from commonweal.deal import services
from commonweal.deal.errors import DealError
from commonweal.deal.ledger import Totals, resources_in
from commonweal.deal.models import Contribution, LedgerAccount, MoneyPosting
from commonweal.deal.valuation import DEFAULT_TIME_RATE, DEFAULT_UCD_ENTRY, time_rate_on, value_of_minutes

from .conftest import DAY

YEAR = (date(2024, 4, 1), date(2025, 4, 1))


def test_money_is_valued_at_face_value_and_posted_twice_summing_to_zero(give, organisations, business, commissioner):
    gift = give(
        "money",
        contributor_organisation=business,
        amount_pence=125_050,
        by=commissioner,
        supported_organisation=organisations["vcse"],
    )
    assert gift.sector == "private"
    assert gift.value_pence == 125_050
    assert gift.valuation_basis == "cash"
    postings = list(gift.postings.select_related("account"))
    assert sorted(p.amount_pence for p in postings) == [-125_050, 125_050]
    assert {p.account.organisation for p in postings} == {business, organisations["vcse"]}
    assert AuditEvent.objects.filter(
        object_type="deal.contribution", object_id=str(gift.pk), actor=commissioner
    ).exists()


def test_money_with_no_recipient_goes_to_the_places_account(give, organisations, place):
    give("money", contributor_organisation=organisations["council"], amount_pence=500)
    assert LedgerAccount.objects.get(place=place, key="place").postings.get().amount_pence == 500


def test_all_money_postings_sum_to_zero_and_balances_match_the_contributions(give, organisations, business, resident):
    give("money", contributor_organisation=business, amount_pence=1_000, supported_organisation=organisations["vcse"])
    give("money", contributor_user=resident, amount_pence=250, supported_organisation=organisations["vcse"])
    give("money", sector="residents", contributor_label="Bucket collection", amount_pence=77)
    assert sum(MoneyPosting.objects.values_list("amount_pence", flat=True)) == 0
    vcse_account = LedgerAccount.objects.get(organisation=organisations["vcse"])
    assert sum(vcse_account.postings.values_list("amount_pence", flat=True)) == 1_250


def test_time_is_valued_at_the_default_replacement_cost_with_its_source(give, resident):
    given = give("time", contributor_user=resident, minutes=90)
    assert given.sector == "residents"
    assert given.rate_pence_per_hour == DEFAULT_TIME_RATE.pence_per_hour == 2711
    assert given.value_pence == 4067  # 1.5 x 2711 = 4066.5, halves round up
    assert given.valuation_basis == "replacement_cost"
    assert "HE23.2" in given.valuation_source
    assert not given.postings.exists()  # no money moved


def test_the_default_rate_is_the_unit_cost_uprated_with_the_gdp_deflator(reference):
    with reference("value", "unit_costs.csv").open(encoding="utf-8") as handle:
        entry = next(r for r in csv.DictReader(handle) if r["id"] == DEFAULT_UCD_ENTRY)
    with reference("value", "gdp_deflator.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    deflator = {int(r[0]): Decimal(r[1]) for r in rows[1:]}
    assert entry["price_year"] == "2013/14"
    # A financial year is nine months of its first calendar year and three of the next.
    index = Decimal("0.75") * deflator[2013] + Decimal("0.25") * deflator[2014]
    uprated = Decimal(entry["value_gbp"]) * deflator[2024] / index * 100
    assert DEFAULT_TIME_RATE.pence_per_hour == int(uprated.quantize(Decimal(1)))


def test_a_new_rate_applies_from_its_date_and_history_keeps_the_old_valuation(give, place, resident, administrator):
    before = give("time", contributor_user=resident, minutes=60, given_on=date(2024, 5, 1))
    services.set_time_rate(
        place,
        by=administrator,
        pence_per_hour=1221,
        basis="living_wage",
        source="Real Living Wage 2024 £12.21",
        price_year="2024",
        valid_from=date(2024, 6, 1),
    )
    after = give("time", contributor_user=resident, minutes=60, given_on=date(2024, 6, 1))
    before.refresh_from_db()
    assert before.value_pence == 2711
    assert after.value_pence == 1221
    assert after.valuation_basis == "living_wage"
    assert time_rate_on(place, date(2024, 5, 31)) == DEFAULT_TIME_RATE


def test_a_second_rate_on_the_same_day_is_refused(place, administrator):
    kwargs = {
        "pence_per_hour": 1500,
        "basis": "replacement_cost",
        "source": "x",
        "price_year": "2024",
        "valid_from": date(2024, 1, 1),
    }
    services.set_time_rate(place, by=administrator, **kwargs)
    with pytest.raises(DealError, match="starts on that date"):
        services.set_time_rate(place, by=administrator, **kwargs)


def test_in_kind_gifts_keep_their_category_and_basis(give, business):
    gift = give(
        "in_kind",
        contributor_organisation=business,
        amount_pence=40_000,
        in_kind_category="space",
        valuation_basis="market_value",
        description="Hall hire",
    )
    assert (gift.value_pence, gift.in_kind_category, gift.valuation_basis) == (40_000, "space", "market_value")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "money", "amount_pence": -100}, "amount_pence", "cannot be negative"),
        ({"kind": "in_kind", "amount_pence": -1, "in_kind_category": "food"}, "amount_pence", "cannot be negative"),
        ({"kind": "money", "amount_pence": 100, "currency": "EUR"}, "currency", "not EUR"),
        ({"kind": "money", "amount_pence": 100, "currency": "gbp "}, None, None),
        ({"kind": "money", "amount_pence": 100, "currency": ""}, "currency", "GBP"),
        ({"kind": "money", "amount_pence": 0}, "amount_pence", "Enter the amount"),
        ({"kind": "time", "minutes": 0}, "minutes", "Enter the time"),
        ({"kind": "time", "minutes": -60}, "minutes", "cannot be negative"),
        ({"kind": "gold", "amount_pence": 1}, "kind", "not one of"),
        ({"kind": "money", "amount_pence": 1, "sector": "private"}, "sector", "residents sector"),
        ({"kind": "money", "amount_pence": 1, "given_on": date.today() + timedelta(days=2)}, "given_on", "future"),
        ({"kind": "in_kind", "amount_pence": 1, "valuation_basis": "cash"}, "valuation_basis", "market value"),
    ],
)
def test_hostile_contributions_are_refused_with_a_reason(place, resident, fields, field, message):
    fields = {"given_on": DAY, "contributor_user": resident, **fields}
    if message is None:
        assert services.record_contribution(place, by=None, **fields).currency == "GBP"
        return
    with pytest.raises(DealError, match=message) as caught:
        services.record_contribution(place, by=None, **fields)
    assert caught.value.field == field
    assert not Contribution.objects.exists()


def test_a_contribution_in_another_places_neighbourhood_is_refused(place, other_place, resident):
    elsewhere = other_place.neighbourhoods.first()
    with pytest.raises(DealError, match="another place"):
        services.record_contribution(
            place, by=None, kind="time", minutes=60, given_on=DAY, contributor_user=resident, neighbourhood=elsewhere
        )


@pytest.mark.parametrize(
    "change",
    [
        {"value_pence": -1},
        {"currency": "USD"},
        {"amount_pence": -5},
        {"kind": "money", "amount_pence": 100, "value_pence": 99},
        {"kind": "time", "minutes": 0},
    ],
)
def test_the_database_refuses_what_the_service_refuses(place, change):
    """Bulk inserts (the demo, imports) bypass the service; the constraints still hold on SQLite and PostgreSQL."""
    row = {
        "place": place,
        "sector": "residents",
        "kind": "time",
        "given_on": DAY,
        "minutes": 60,
        "rate_pence_per_hour": 1000,
        "value_pence": 1000,
        "valuation_basis": "replacement_cost",
        **change,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(**row)


def test_voiding_reverses_the_money_and_leaves_the_totals(give, business, organisations, commissioner, place):
    gift = give(
        "money", contributor_organisation=business, amount_pence=900, supported_organisation=organisations["vcse"]
    )
    services.void_contribution(gift, by=commissioner, reason="Entered twice")
    assert gift.postings.count() == 4
    assert sum(gift.postings.values_list("amount_pence", flat=True)) == 0
    assert LedgerAccount.objects.get(organisation=organisations["vcse"]).postings.count() == 2
    assert resources_in(place, start=YEAR[0], end=YEAR[1]).total == Totals()
    with pytest.raises(DealError, match="voided already"):
        services.void_contribution(gift, by=commissioner, reason="again")


def _random_ledger(place, people, organisations, hoods, seed):
    """A hostile mix: every sector and kind, odd amounts, boundary dates, unplaced rows, voided rows."""
    rng = random.Random(seed)
    districts = list(place.districts.all())
    expected = []
    for _ in range(60):
        kind = rng.choice(["money", "time", "in_kind"])
        who = rng.choice([*people, *organisations, None])
        fields = {"contributor_user": who} if who in people else {"contributor_organisation": who} if who else {}
        if who is None:
            fields["sector"] = rng.choice(["public", "private", "voluntary", "residents"])
            fields["contributor_label"] = "Anonymous <b>givers</b>"
        where = rng.choice(["hood", "district", "none"])
        if where == "hood":
            fields["neighbourhood"] = rng.choice(list(hoods.values()))
        elif where == "district":
            fields["district"] = rng.choice(districts)
        given_on = rng.choice(
            [
                YEAR[0],
                YEAR[1] - timedelta(days=1),
                YEAR[1],
                YEAR[0] - timedelta(days=1),
                YEAR[0] + timedelta(days=rng.randrange(365)),
            ]
        )
        if kind == "time":
            fields["minutes"] = rng.randrange(1, 5000)
        else:
            fields["amount_pence"] = rng.randrange(1, 10**9)
            if kind == "in_kind":
                fields["in_kind_category"] = rng.choice(["space", "food", "equipment"])
        contribution = services.record_contribution(place, by=None, kind=kind, given_on=given_on, **fields)
        if rng.random() < 0.1:
            services.void_contribution(contribution, by=None, reason="hostile test")
            contribution.refresh_from_db()
        expected.append(contribution)
    return expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_resources_in_reconciles_by_sector_kind_district_and_neighbourhood(
    place, organisations, business, nhs, resident, commissioner, hoods, seed, django_assert_num_queries
):
    organisations_ = [organisations["council"], organisations["vcse"], business, nhs]
    rows = _random_ledger(place, [resident, commissioner], organisations_, hoods, seed)
    with django_assert_num_queries(3):
        result = resources_in(place, start=YEAR[0], end=YEAR[1])
    counted = [c for c in rows if c.voided_at is None and YEAR[0] <= c.given_on < YEAR[1]]
    assert result.total.count == len(counted)
    assert result.total.value_pence == sum(c.value_pence for c in counted)
    assert result.total.minutes == sum(c.minutes for c in counted)
    assert result.total.money_pence == sum(c.value_pence for c in counted if c.kind == "money")
    assert result.reconciles()
    for sector, totals in result.by_sector.items():
        assert totals.value_pence == sum(c.value_pence for c in counted if c.sector == sector)
    for lsoa, totals in result.by_neighbourhood.items():
        assert totals.count == sum(1 for c in counted if getattr(c.neighbourhood, "code", None) == lsoa)
    assert sum(t.value_pence for t in result.by_sector_and_neighbourhood.values()) == result.total.value_pence


def test_months_add_up_to_the_year_and_districts_to_the_place(place, organisations, business, nhs, resident, hoods):
    _random_ledger(place, [resident], [organisations["vcse"], business, nhs], hoods, seed=7)
    year = resources_in(place, start=YEAR[0], end=YEAR[1])
    months = [date(2024 + (4 + i - 1) // 12, (4 + i - 1) % 12 + 1, 1) for i in range(13)]
    by_month = [resources_in(place, start=a, end=b).total for a, b in pairwise(months)]
    assert sum((t for t in by_month), Totals()) == year.total
    for district in place.districts.all():
        alone = resources_in(place, start=YEAR[0], end=YEAR[1], district=district)
        assert alone.total == year.by_district[district.code]
        assert alone.reconciles()
    hood = hoods["E01006213"]
    assert resources_in(place, start=YEAR[0], end=YEAR[1], neighbourhood=hood).total == year.by_neighbourhood.get(
        hood.code, Totals()
    )


def test_resources_in_reports_pounds_hours_and_every_sector_even_when_empty(give, place, resident):
    give("time", contributor_user=resident, minutes=150)
    result = resources_in(place, start=YEAR[0], end=YEAR[1])
    assert set(result.by_sector) == {"public", "private", "voluntary", "residents"}
    assert result.by_sector["public"] == Totals()
    assert result.by_sector["residents"].hours == Decimal("2.50")
    assert result.total.value_pounds == Decimal("67.78")
    assert result.by_neighbourhood == {None: result.total}


def test_resources_in_sees_only_its_own_place(give, other_place, resident):
    give("time", contributor_user=resident, minutes=60)
    assert resources_in(other_place, start=YEAR[0], end=YEAR[1]).total == Totals()


def test_an_empty_or_backwards_period_is_an_error(place):
    with pytest.raises(ValueError, match="end must be after start"):
        resources_in(place, start=YEAR[1], end=YEAR[0])


def test_value_of_minutes_rounds_halves_up():
    assert value_of_minutes(90, 2711) == 4067
    assert value_of_minutes(1, 1) == 0
    assert value_of_minutes(30, 1) == 1


def test_a_rate_book_agrees_with_the_rate_on_each_day(place, administrator):
    from commonweal.deal.valuation import RateBook

    for day, pence in [(date(2024, 1, 1), 1000), (date(2024, 6, 1), 1500)]:
        services.set_time_rate(place, by=administrator, pence_per_hour=pence, basis="living_wage", source="s",
                               price_year="2024", valid_from=day)  # fmt: skip
    book = RateBook(place)
    for day in [date(2023, 12, 31), date(2024, 1, 1), date(2024, 5, 31), date(2024, 6, 1), date(2025, 1, 1)]:
        assert book.on(day) == time_rate_on(place, day)
