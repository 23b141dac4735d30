"""Nothing public or on the ledger's summary shows a figure from fewer than 10 contributions or members,
zero included, or one that can be worked out from the totals shown beside it."""

import random
from datetime import date

import pytest
from django.urls import reverse

from commonweal.deal import timebank
from commonweal.deal.disclosure import month_table, sector_table
from commonweal.deal.ledger import Totals
from commonweal.deal.models import Contribution, Sector

KINDS = [k.value for k in Contribution.Kind]
THIS_YEAR = date.today()  # in the financial year the public pages show


def _cells(counts: dict[tuple[str, str], int]) -> dict[tuple[str, str], Totals]:
    """Cells whose every figure is distinctive: value 1000 x count + 7, minutes 60 x count."""
    out = {}
    for (sector, kind), n in counts.items():
        value = 1000 * n + 7
        out[sector, kind] = Totals(
            value_pence=value,
            money_pence=value if kind == "money" else 0,
            time_value_pence=value if kind == "time" else 0,
            in_kind_pence=value if kind == "in_kind" else 0,
            minutes=60 * n if kind == "time" else 0,
            count=n,
        )
    return out


def _grid(rows):
    """Which of money, time, in kind each shown row shows (None where withheld)."""
    return [[r.money_pence, r.time_value_pence, r.in_kind_pence] for r in rows]


@pytest.mark.parametrize("seed", range(40))
def test_the_sector_table_withholds_small_cells_and_enough_others_on_random_ledgers(seed, settings):
    settings.COMMONWEAL_SUPPRESSION_THRESHOLD = 10
    rng = random.Random(seed)
    counts = {(s, k): rng.choice([0, 1, 3, 9, 10, 11, 40, 200]) for s in Sector.values for k in KINDS}
    rows, total = sector_table(_cells(counts))
    for i, sector in enumerate(Sector.values):
        for j, kind in enumerate(KINDS):
            if counts[sector, kind] < 10:
                assert _grid(rows)[i][j] is None, (sector, kind)
        if sum(counts[sector, k] for k in KINDS) < 10:
            assert rows[i].value_pence is None
    # Hours and the value of time are one cell: shown or withheld together.
    assert all((r.minutes is None) == (r.time_value_pence is None) for r in [*rows, total])
    # In every line whose total is shown, no withheld cell stands alone (it could be worked out).
    for i, row in enumerate(rows):
        if row.value_pence is not None:
            assert sum(v is None for v in _grid(rows)[i]) != 1
    for j in range(3):
        if [total.money_pence, total.time_value_pence, total.in_kind_pence][j] is not None:
            assert sum(_grid(rows)[i][j] is None for i in range(len(rows))) != 1


def test_a_sector_table_of_large_cells_shows_everything(settings):
    counts = {(s, k): 50 for s in Sector.values for k in KINDS}
    rows, total = sector_table(_cells(counts))
    assert all(v is not None for r in [*rows, total] for v in vars(r).values())
    assert total.value_pence == 12 * (50_000 + 7)


def test_the_month_table_fills_empty_months_and_protects_a_lone_small_month():
    months = [(date(2024, 4, 1), Totals(value_pence=500, count=40)), (date(2024, 6, 1), Totals(value_pence=9, count=3))]
    shown = month_table(months, start=date(2024, 4, 1), end=date(2024, 8, 1))
    assert [m.month for m in shown] == [date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1), date(2024, 7, 1)]
    assert [m.withheld for m in shown] == [False, True, True, True]  # May and July are zero: withheld too
    assert shown[0].value_pence == 500


def test_a_lone_small_month_among_large_ones_takes_another_with_it():
    months = [(date(2024, 4 + i, 1), Totals(value_pence=100 + i, count=20 + i)) for i in range(3)]
    months[1] = (date(2024, 5, 1), Totals(value_pence=77, count=2))
    shown = month_table(months, start=date(2024, 4, 1), end=date(2024, 7, 1))
    assert sum(m.withheld for m in shown) == 2
    assert all(m.value_pence != 77 for m in shown)


def _url(name, place):
    return reverse(f"deal:{name}", args=[place.code])


def test_the_public_deal_page_never_shows_a_lone_gift(client, place, give, business, resident):
    give("money", contributor_organisation=business, amount_pence=123_456, given_on=THIS_YEAR)
    for _ in range(12):
        give("time", contributor_user=resident, minutes=60, given_on=THIS_YEAR)
    response = client.get(_url("deal", place))
    text = response.content.decode()
    assert "£1,234.56" not in text  # one business's gift
    assert "withheld" in text
    rows = {r.label: r for r in response.context["resources_sectors"]}
    residents = rows[str(Sector.RESIDENTS.label)]
    assert residents.minutes == 720  # twelve residents' hours are enough to show
    assert residents.money_pence is None  # no money from residents: a zero is withheld too
    total = response.context["resources_total"]
    assert total.money_pence is None  # the only money is the one gift
    assert total.value_pence == 123_456 + 12 * 2711  # 13 contributions: the total is shown


def test_the_ledger_summary_withholds_small_months_and_cells(client, place, give, business, commissioner):
    give("money", contributor_organisation=business, amount_pence=98_765, given_on=THIS_YEAR)
    client.force_login(commissioner)
    response = client.get(_url("ledger", place))
    months = response.context["months"]
    assert len(months) == 12
    assert all(m.withheld for m in months)
    assert all(r.money_pence is None for r in response.context["sectors"])
    assert response.context["all_sectors"].value_pence is None
    # The contribution itself is listed for those who may read the ledger.
    assert [c.value_pence for c in response.context["page"]] == [98_765]


def test_the_time_bank_withholds_a_small_total_and_small_areas(client, place, resident, commissioner, hoods):
    a = timebank.join_time_bank(place, by=None, user=resident, neighbourhood=hoods["E01006213"])
    b = timebank.join_time_bank(place, by=None, user=commissioner)
    for _ in range(10):
        exchange = timebank.propose_exchange(
            by=None, proposer=a, provider=a, recipient=b, minutes=30, description="x", occurred_on=THIS_YEAR
        )
        timebank.confirm_exchange(exchange, by=None, member=b)
    response = client.get(_url("time_bank", place))
    stats = response.context["stats"]
    assert stats.exchanges == 10
    assert not stats.suppress_exchanges
    assert stats.suppress_active_members
    assert stats.withhold_hours
    assert all(row.suppressed for row in [*stats.by_neighbourhood, *stats.by_decile])
    assert "5</dd>" not in response.content.decode()  # the five hours between them
