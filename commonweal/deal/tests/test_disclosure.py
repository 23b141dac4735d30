"""Nothing public or on the ledger's summary shows a figure from fewer than 10 contributions or members,
zero included, or one that can be worked out from the totals shown beside it."""

import random
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from commonweal.accounts.services import create_user
from commonweal.deal import timebank
from commonweal.deal.disclosure import month_table, sector_table
from commonweal.deal.ledger import Totals
from commonweal.deal.models import Contribution, Sector
from commonweal.deal.stats import time_bank_stats
from commonweal.places.services import import_place_text

from .conftest import HOSTILE

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


# --- The time bank's two area tables, read together ------------------------------------------------
# Every neighbourhood lies in one IMD decile (public data), so a decile's figures are the sum of its
# neighbourhoods'. An attacker subtracts the neighbourhoods shown from their decile: if just one is withheld,
# that is its figure.

MEASURES = ("active_members", "minutes_given", "minutes_received")
_DEPRIVATION_HEADER = ",".join(
    ["lsoa11cd", "lsoa11nm", "imd_score", "imd_rank", "imd_decile"]
    + [f"{d}_decile" for d in ("income", "employment", "education", "health", "crime", "barriers", "living_env")]
    + ["pop_total_mid2015"]
)


def _add_neighbourhoods(place, deciles):
    """More neighbourhoods in the test place: LSOA code -> IMD decile (the place has E01006213 in decile 1,
    E01006212 in 5 and E01006214 in 8)."""
    rows = [
        f"{code},Llŷn {code} 🌈,{30 + i}.5,{5000 + i},{decile}," + ",".join([str(decile)] * 7) + ",1500"
        for i, (code, decile) in enumerate(deciles.items())
    ]
    report = import_place_text(
        place, "deprivation", "\n".join([_DEPRIVATION_HEADER, *rows]) + "\n", file="more.csv", by=None
    )
    assert not report.as_dict().get("errors"), report.as_dict()


def _active_members(place, layout, rng):
    """`layout[code]` active members in each neighbourhood (None: gave none). Each gives the next one, in a
    shuffled ring, an exchange of a random length, so every one is active and hours cross areas."""
    hoods = {n.code: n for n in place.neighbourhoods.all()}
    members = []
    for code, n in layout.items():
        for _ in range(n):
            i = len(members)
            user = create_user(f"member-{i}@time-bank.test", f"Member {i} {HOSTILE}", by=None)
            members.append(timebank.join_time_bank(place, by=None, user=user, neighbourhood=hoods.get(code)))
    rng.shuffle(members)
    for giver, taker in zip(members, members[1:] + members[:1], strict=True):
        proposed = timebank.propose_exchange(
            by=None,
            proposer=giver,
            provider=giver,
            recipient=taker,
            minutes=rng.randrange(15, 600),
            description="x",
            occurred_on=THIS_YEAR,
        )
        timebank.confirm_exchange(proposed, by=None, member=taker)


def _stats(place):
    start = date(THIS_YEAR.year if THIS_YEAR.month >= 4 else THIS_YEAR.year - 1, 4, 1)
    return time_bank_stats(place, start=start, end=date(start.year + 1, 4, 1))


def _decile_of(place):
    return {None: None, **dict(place.neighbourhoods.values_list("code", "imd_decile"))}


def _differencing_attack(place, stats):
    """What the attacker works out: each shown decile's figures minus those of its shown neighbourhoods,
    where just one of its neighbourhoods is withheld. LSOA code -> {measure: value}."""
    decile_of = _decile_of(place)
    recovered = {}
    for decile in stats.by_decile:
        inside = [r for r in stats.by_neighbourhood if decile_of[r.key] == decile.key]
        hidden = [r for r in inside if r.suppressed]
        if not decile.suppressed and len(hidden) == 1:
            shown = [r for r in inside if not r.suppressed]
            recovered[hidden[0].key] = {m: getattr(decile, m) - sum(getattr(r, m) for r in shown) for m in MEASURES}
    return recovered


def _assert_the_tables_protect_each_other(place, stats, threshold):
    decile_of = _decile_of(place)
    for row in [*stats.by_neighbourhood, *stats.by_decile]:
        if row.active_members < threshold:
            assert row.suppressed, row.key
    for decile in stats.by_decile:
        hidden = [r.key for r in stats.by_neighbourhood if decile_of[r.key] == decile.key and r.suppressed]
        # A decile shown leaves none or at least two of its neighbourhoods withheld ...
        if hidden:
            assert decile.suppressed or len(hidden) >= 2, (decile.key, hidden)
        # ... and a decile withheld is not the sum of neighbourhoods all shown.
        if decile.suppressed:
            assert hidden, decile.key
    # The decile table against the active members shown above it.
    if not stats.suppress_active_members:
        assert sum(r.suppressed for r in stats.by_decile) != 1
    assert _differencing_attack(place, stats) == {}


def test_a_withheld_neighbourhood_cannot_be_worked_out_from_its_decile(place):
    # Decile 1 holds E01006213 (4 active members) and E01006215 (30): showing decile 1 and E01006215 gave
    # E01006213 away, members and hours, whatever the neighbourhood table withheld against its own total.
    _add_neighbourhoods(place, {"E01006215": 1})
    layout = {"E01006213": 4, "E01006215": 30, "E01006212": 25, "E01006214": 20}
    _active_members(place, layout, random.Random(1))
    stats = _stats(place)
    assert {r.key: r.active_members for r in stats.by_neighbourhood} == layout
    assert _differencing_attack(place, stats) == {}
    withheld = {r.key for r in stats.by_neighbourhood if r.suppressed}
    assert withheld == {"E01006213", "E01006215"}  # the smallest other neighbourhood of the same decile
    # Safe cells stay published: every decile, and the neighbourhoods alone in theirs.
    assert not any(r.suppressed for r in stats.by_decile)
    _assert_the_tables_protect_each_other(place, stats, 10)


def test_members_with_no_neighbourhood_cannot_be_read_off_the_deciles_not_given_row(place):
    # 12 members gave no neighbourhood: their row is the same in both tables, so it is shown or withheld in both.
    _add_neighbourhoods(place, {"E01006215": 1})
    layout = {None: 12, "E01006213": 4, "E01006215": 20, "E01006212": 30, "E01006214": 25}
    _active_members(place, layout, random.Random(2))
    stats = _stats(place)
    hoods = {r.key: r.suppressed for r in stats.by_neighbourhood}
    deciles = {r.key: r.suppressed for r in stats.by_decile}
    assert hoods[None] == deciles[None]
    assert hoods["E01006213"]
    _assert_the_tables_protect_each_other(place, stats, 10)


def test_a_small_not_given_row_withholds_another_decile_and_a_neighbourhood_in_it(place, settings):
    layout = {None: 5, "E01006213": 20, "E01006212": 25, "E01006214": 15}
    _active_members(place, layout, random.Random(3))
    stats = _stats(place)
    assert [r.key for r in stats.by_decile if r.suppressed] == [8, None]  # the smallest decile with it
    # Decile 8 withheld while its one neighbourhood was shown would be no secret at all.
    assert {r.key for r in stats.by_neighbourhood if r.suppressed} == {None, "E01006214"}
    _assert_the_tables_protect_each_other(place, stats, 10)


@pytest.mark.parametrize("seed", range(6))
def test_no_withheld_area_can_be_worked_out_from_the_other_table_on_random_time_banks(place, settings, seed):
    settings.COMMONWEAL_SUPPRESSION_THRESHOLD = 3  # small numbers of members keep the test quick
    rng = random.Random(seed)
    extra = {f"E0100700{i}": rng.choice([1, 1, 2, 5, 8]) for i in range(rng.randrange(2, 7))}
    _add_neighbourhoods(place, extra)
    codes = [None, "E01006213", "E01006212", "E01006214", *extra]
    layout = {code: n for code in codes if (n := rng.choice([0, 1, 2, 3, 4, 6, 9]))}
    _active_members(place, layout, rng)
    stats = _stats(place)
    assert {r.key: r.active_members for r in stats.by_neighbourhood} == layout
    _assert_the_tables_protect_each_other(place, stats, 3)


def test_a_time_bank_of_large_areas_shows_every_area(place, settings):
    settings.COMMONWEAL_SUPPRESSION_THRESHOLD = 3
    _add_neighbourhoods(place, {"E01006215": 1, "E01006216": 1, "E01006217": 5})
    layout = {None: 3, "E01006213": 4, "E01006215": 3, "E01006216": 5, "E01006212": 3, "E01006217": 6}
    _active_members(place, layout, random.Random(4))
    stats = _stats(place)
    assert not any(r.suppressed for r in [*stats.by_neighbourhood, *stats.by_decile])


def test_the_time_bank_page_withholds_the_same_areas_in_every_column(client, place):
    _add_neighbourhoods(place, {"E01006215": 1})
    layout = {"E01006213": 4, "E01006215": 30, "E01006212": 25, "E01006214": 20}
    _active_members(place, layout, random.Random(1))
    response = client.get(_url("time_bank", place))
    stats = response.context["stats"]
    rows = response.content.decode().split('<tr class="govuk-table__row">')
    for area in [*stats.by_neighbourhood, *stats.by_decile]:
        if area.key is None or area.key not in {"E01006213", "E01006215", 1, 5, 8}:
            continue
        label = escape(area.label)
        (row,) = [r for r in rows if f'<td class="govuk-table__cell">{label}</td>' in r]
        cells = row.split("govuk-table__cell--numeric")[1:]
        if area.suppressed:
            assert ["fewer than 10" in cells[0], "withheld" in cells[1], "withheld" in cells[2]] == [True] * 3
        else:
            assert f">{area.active_members}</td>" in cells[0]
    assert {r.key for r in stats.by_neighbourhood if r.suppressed} == {"E01006213", "E01006215"}
