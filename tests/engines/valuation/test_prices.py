"""Price years, the GDP deflator and rebasing."""

import csv

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonweal.engines.valuation import (
    Deflator,
    ValuationError,
    default_deflator,
    load_deflator,
    parse_deflator_from_string,
    parse_price_year,
    rebase,
)


def test_bundled_deflator_matches_the_reference_series_year_by_year(reference):
    path = reference("value", "gdp_deflator.csv")
    with path.open(encoding="utf-8") as handle:
        expected = {int(r["year"]): float(r["gdp_deflator_index_2024_eq_100"]) for r in csv.DictReader(handle)}
    assert default_deflator().index == expected


def test_reference_deflator_file_loads_as_it_is(reference):
    deflator = load_deflator(reference("value", "gdp_deflator.csv"))
    assert deflator.index[2019] == 81.1085


def test_rebasing_2019_prices_to_2024_uses_the_deflator_ratio():
    assert rebase(13_000, 2019, 2024) == pytest.approx(13_000 * 100 / 81.1085)


def test_financial_year_is_weighted_three_quarters_to_its_first_calendar_year_by_default():
    index = default_deflator().index
    expected = 0.75 * index[2013] + 0.25 * index[2014]
    assert rebase(100.0, "2013/14", 2024) == pytest.approx(100 * 100 / expected)


def test_financial_year_start_and_end_conventions_pick_one_calendar_year():
    assert rebase(100.0, "2013/14", 2013, financial_year="start") == pytest.approx(100.0)
    assert rebase(100.0, "2013/14", 2014, financial_year="end") == pytest.approx(100.0)


def test_a_financial_year_deflator_reads_calendar_years_the_other_way_round():
    deflator = Deflator({2013: 80.0, 2014: 84.0}, basis="financial")
    assert deflator.level("2014/15") == 84.0
    assert deflator.level(2014) == pytest.approx(0.25 * 80 + 0.75 * 84)


@pytest.mark.parametrize("text", ["2013/14", "2013-14", "2013/2014", " 2013/14 "])
def test_financial_years_are_read_in_their_usual_spellings(text):
    assert parse_price_year(text).year == 2013
    assert parse_price_year(text).financial


def test_arrays_rebase_elementwise():
    np.testing.assert_allclose(rebase(np.array([1.0, 2.0]), 2024, 2024), [1.0, 2.0])


years = st.sampled_from([*range(1990, 2025), *(f"{y}/{(y + 1) % 100:02d}" for y in range(1990, 2024))])


@given(st.floats(-1e9, 1e9), years, years, st.sampled_from(["weighted", "start", "end"]))
def test_rebasing_there_and_back_is_the_identity(value, there, back, convention):
    round_trip = rebase(rebase(value, there, back, financial_year=convention), back, there, financial_year=convention)
    assert round_trip == pytest.approx(value, rel=1e-12, abs=1e-6)


def test_a_price_year_the_deflator_lacks_is_refused_with_what_to_do():
    with pytest.raises(ValuationError, match=r"no 2025.*load_deflator"):
        rebase(100.0, 2025, 2019)
    with pytest.raises(ValuationError, match="financial_year='start'"):
        rebase(100.0, "2024/25", 2019)
    with pytest.raises(ValuationError, match="no 1989"):
        rebase(100.0, 1989, 2019)


@pytest.mark.parametrize("text", ["not stated (2014 guide)", "c.2013", "2013/15", "", "19"])
def test_unreadable_price_years_are_refused(text):
    with pytest.raises(ValuationError, match="year"):
        parse_price_year(text)


def test_a_deflator_file_needs_year_and_index_columns():
    with pytest.raises(ValuationError, match="'year' column"):
        parse_deflator_from_string("date,level\n2019,80\n")


def test_a_deflator_index_must_be_positive():
    with pytest.raises(ValuationError, match="positive"):
        Deflator({2019: 0.0})
