"""Outcomes by district and deprivation: hand calculations, suppression, imports, pages and downloads."""

import io
import math

import polars as pl
import pytest
from django.urls import reverse

from commonweal.accounting.importers import parse_age_band, parse_period
from commonweal.accounting.outcomes import breakdown, trend
from commonweal.accounting.services import create_indicator_series, import_indicator_text
from commonweal.importing import ImportFileError
from commonweal.suppression import suppress_counts, suppress_table

HOSTILE_TAG = "<script>alert('pwned')</script>"

# The `place` fixture has three neighbourhoods: E01006213 (decile 1) and E01006212 (decile 5) in district D1,
# E01006214 (decile 8) in district D2.
RATES = """period,lsoa_code,count,population
2024-01,E01006213,30,1000
2024-01,E01006212,12,2000
2024-01,E01006214,5,1500
2024-02,E01006213,28,1000
2024-02,E01006212,14,2000
2024-02,E01006214,3,1500
"""


@pytest.fixture
def admissions(place):
    series = create_indicator_series(place, "admissions", f"Admissions {HOSTILE_TAG}", "rate", by=None)
    report = import_indicator_text(series, RATES, file="rates.csv", by=None)
    assert report.ok
    return series


def byars(count: float, population: float) -> tuple[float, float]:
    """Byar's 95% limits per 100,000, by hand (PHEindicatormethods' method from 10 events)."""
    z = 1.959963984540054
    lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower / population * 1e5, upper / population * 1e5


def test_rates_by_district_equal_a_hand_calculation(place):
    series = create_indicator_series(place, "big", "Admissions", "rate", by=None)
    import_indicator_text(
        series, RATES.replace(",5,1500", ",15,1500").replace(",3,1500", ",13,1500"), file="r", by=None
    )
    table = breakdown(series, "district")
    north, south = (next(r for r in table.rows if r.key == key) for key in ("D1", "D2"))
    assert (north.count, north.population, south.count) == (84, 6000, 28)
    assert north.value == pytest.approx(84 / 6000 * 1e5)
    assert (north.lower, north.upper) == pytest.approx(byars(84, 6000), rel=1e-9)
    assert table.total.count == 112
    assert table.total.value == pytest.approx(112 / 9000 * 1e5)


def test_a_district_with_fewer_than_ten_events_is_suppressed_with_its_rate_and_so_is_the_other(admissions):
    # Two districts and a shown total: hiding only the small one would let it be worked out (92 - 84).
    rows = breakdown(admissions, "district").rows
    assert [(r.count, r.value, r.lower) for r in rows] == [(None, None, None)] * 2
    assert breakdown(admissions, "district").total.count == 92


def test_deciles_hide_small_counts_and_one_more_so_none_can_be_worked_out(admissions):
    rows = {r.key: r for r in breakdown(admissions, "imd_decile").rows}
    assert rows["1"].count == 58
    assert rows["8"].count is None  # 8 events: primary
    assert rows["5"].count is None  # 26 events: hidden too, or 92 - 58 - 26 would give decile 8 away
    assert rows["5"].value is None


def test_a_period_range_selects_the_months(admissions):
    import datetime

    january = breakdown(admissions, "place", start=datetime.date(2024, 1, 1), end=datetime.date(2024, 1, 31))
    assert january.rows[0].count == 47


def test_suppression_protects_every_line_with_a_shown_total():
    table = suppress_table([[50, 3, 40], [20, 30, 60], [15, 25, 35]])
    shown = table.cells
    for i, row in enumerate(shown):
        assert sum(c is None for c in row) != 1 or table.row_totals[i] is None
    for j in range(3):
        column = [row[j] for row in shown]
        assert sum(c is None for c in column) != 1 or table.column_totals[j] is None
    assert all(c is None or c >= 10 for row in shown for c in row)
    assert suppress_counts([0, 50, 60]) == [None, None, 60]


def test_life_expectancy_by_district_uses_the_life_table(place):
    series = create_indicator_series(place, "le", "Life expectancy", "life_expectancy", by=None, improvement="increase")
    bands = ["0", "1-4", *[f"{a}-{a + 4}" for a in range(5, 90, 5)], "90+"]
    lines = ["period,lsoa_code,age_band,deaths,population"]
    for code in ("E01006212", "E01006213", "E01006214"):
        for i, band in enumerate(bands):
            lines.append(f"2023,{code},{band},{max(1, i * i // 8)},{4000 - i * 150}")
    report = import_indicator_text(series, "\n".join(lines), file="le.csv", by=None)
    assert report.ok, report.rejected
    import pandas as pd

    from commonweal.engines.indicators import life_expectancy

    by_hand = pd.DataFrame(
        {
            "age": [0, 1, *range(5, 95, 5)],
            "deaths": [2 * max(1, i * i // 8) for i in range(20)],
            "pops": [2 * (4000 - i * 150) for i in range(20)],
        }
    )
    expected = life_expectancy(by_hand, "deaths", "pops", "age", le_age=[0])["value"].iloc[0]
    north = next(r for r in breakdown(series, "district").rows if r.key == "D1")
    assert north.value == pytest.approx(expected, rel=1e-12)


def test_bad_rows_are_reported_and_good_rows_kept(place):
    series = create_indicator_series(place, "p", "Proportion", "proportion", by=None, multiplier=100)
    text = "period,lsoa_code,count,population\n2024,E01006212,5,10\n2024,E01999999,1,2\nsoon,E01006213,1,2\n"
    text += "2024,E01006213,12,10\n2024,E01006214,-1,10\n2024,E01006212,1,2\n"
    report = import_indicator_text(series, text, file="p.csv", by=None)
    assert [(e.line, e.field) for e in report.rejected] == [
        (3, "lsoa"),
        (4, "period"),
        (5, "numerator"),
        (6, "numerator"),
        (7, "period"),
    ]
    assert series.observations.count() == 1
    again = import_indicator_text(series, text, file="p.csv", by=None)
    assert (again.created, again.unchanged) == (0, 1)


def test_a_file_without_a_population_column_is_refused(place):
    series = create_indicator_series(place, "r", "Rate", "rate", by=None)
    with pytest.raises(ImportFileError, match="missing column 'denominator'"):
        import_indicator_text(series, "period,lsoa_code,count\n2024,E01006212,3\n", file="r.csv", by=None)


@pytest.mark.parametrize(("raw", "start"), [("0", 0), ("1-4", 1), ("90+", 90), ("45-49", 45), ("under 1", 0)])
def test_age_bands_read_as_their_start(raw, start):
    assert parse_age_band(raw) == start


def test_periods_read_years_months_days_and_financial_years():
    assert [str(parse_period(p)) for p in ("2024", "2024-03", "2024-03-09", "2023/24")] == [
        "2024-01-01",
        "2024-03-01",
        "2024-03-09",
        "2023-04-01",
    ]
    with pytest.raises(ValueError, match="not a period"):
        parse_period("2024-13")


def test_the_indicator_page_shows_tables_a_chart_and_escapes_names(client, admissions):
    response = client.get(admissions.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert HOSTILE_TAG not in text
    assert "[c]" in text
    assert "1,022.2" in text  # the whole place: 92 / 9,000 per 100,000
    assert trend(admissions) is None  # two months are too few for a chart
    assert "<svg" not in text


def test_no_download_reveals_a_count_under_ten(client, admissions):
    for level in ("district", "imd_decile", "place"):
        csv = client.get(admissions.get_absolute_url(), {"format": "csv", "level": level}).content.decode()
        counts = [line.split(",")[3] for line in csv.splitlines()[1:]]
        assert all(c == "" or float(c) >= 10 for c in counts), (level, counts)
    parquet = client.get(admissions.get_absolute_url(), {"format": "parquet", "level": "imd_decile"})
    frame = pl.read_parquet(io.BytesIO(parquet.content))
    assert frame["count"].drop_nulls().min() >= 10


def test_the_outcomes_index_lists_series(client, admissions):
    response = client.get(reverse("accounting:outcomes", args=[admissions.place.code]))
    assert "Admissions &lt;script&gt;" in response.content.decode()


def test_unknown_series_or_formats_are_not_found(client, admissions):
    assert client.get(reverse("accounting:indicator", args=[admissions.place.code, "nope"])).status_code == 404
    assert client.get(admissions.get_absolute_url(), {"format": "xlsx"}).status_code == 404
    assert client.get(admissions.get_absolute_url(), {"format": "csv", "level": "person"}).status_code == 404


def test_enough_periods_give_an_spc_chart(place):
    series = create_indicator_series(place, "m", "Monthly", "rate", by=None)
    lines = ["period,lsoa_code,count,population"]
    for month in range(1, 13):
        lines += [f"2024-{month:02d},E01006213,{30 + month},1000", f"2024-{month:02d},E01006212,{20 + month % 3},2000"]
    import_indicator_text(series, "\n".join(lines), file="m.csv", by=None)
    chart, rows = trend(series)
    assert len(rows) == 12
    assert rows[0].value == pytest.approx((31 + 21) / 3000 * 1e5)
    assert chart.points[-1].mean == pytest.approx(sum(r.value for r in rows) / 12)
