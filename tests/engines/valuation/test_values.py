"""Value sets: the curated default set, the research files as they are, and bad files."""

import csv

import pytest

from commonweal.engines.valuation import (
    Triangular,
    ValuationError,
    default_value_set,
    load_value_set,
    parse_value_set_from_string,
)


def _rows(path):
    with path.open(encoding="utf-8") as handle:
        return {r["id"]: r for r in csv.DictReader(handle)}


def test_default_set_carries_no_hact_values():
    values = default_value_set()
    assert not [v for v in values.values() if "HACT" in v.id.upper() or "HACT" in v.source.upper()]


def test_every_default_value_states_its_source_licence_and_price_year():
    for value in default_value_set().values():
        assert value.source, value.id
        assert value.licence, value.id
        assert value.price_year, value.id


def test_default_unit_cost_entries_match_the_unit_cost_database_file(reference):
    database = _rows(reference("value", "unit_costs.csv"))
    entries = [v for v in default_value_set().values() if v.id.startswith("GMCA-UCD-")]
    assert len(entries) >= 24
    for value in entries:
        row = database[value.id]
        assert value.value == float(row["value_gbp"]), value.id
        assert value.price_year == row["price_year"], value.id
        assert value.agency == row["agency"], value.id
        assert value.category == "fiscal"


def test_default_wellby_entries_match_the_wellbeing_file(reference):
    rows = _rows(reference("value", "wellbeing_values.csv"))
    for variant in ("CENTRAL", "LOW", "HIGH"):
        value = default_value_set()[f"HMT-WELLBY-{variant}"]
        assert value.value == float(rows[value.id]["value_gbp"])
        assert value.licence == "Open Government Licence v3.0"


def test_default_set_carries_no_suspect_unit_costs(reference):
    suspect = _rows(reference("value", "unit_costs_suspect.csv"))
    assert not set(suspect) & set(default_value_set())


def test_benefit_payments_saved_are_transfers_and_service_costs_are_not():
    values = default_value_set()
    assert values["GMCA-UCD-HO7.0"].transfer  # housing benefit rate
    assert values["GMCA-UCD-E&E1.0.1"].transfer  # JSA payments saved
    assert not values["GMCA-UCD-HE20.2"].transfer  # a GP consultation


def test_the_whole_unit_cost_database_loads_as_it_is(reference):
    values = load_value_set(reference("value", "unit_costs.csv"))
    assert len(values) == 669
    assert values["GMCA-UCD-CR3.0"].value == 33785.0
    assert values["GMCA-UCD-HO7.0"].transfer  # from kind = benefit_rate_transfer
    assert values["SUP-NHS-BEDDAY-ELECTIVE"].price_year == "2020/21"


def test_suspect_rows_are_left_out_and_asking_for_one_says_why(reference):
    values = load_value_set(reference("value", "unit_costs_suspect.csv"))
    assert len(values) == 0
    assert len(values.excluded) == 16
    with pytest.raises(ValuationError, match=r"left out: SUSPECT.*allow_suspect=True"):
        values["GMCA-UCD-SS11.2"]


def test_suspect_rows_load_when_explicitly_allowed(reference):
    values = load_value_set(reference("value", "unit_costs_suspect.csv"), allow_suspect=True)
    assert len(values) == 16


def test_wellbeing_file_loads_with_unreadable_price_years_skipped(reference):
    values = load_value_set(reference("value", "wellbeing_values.csv"), category="social", skip_invalid=True)
    assert values["HMT-WELLBY-CENTRAL"].value == 13_000
    assert "HACT-SVB1-FT-JOB" in values.excluded


def test_wellbeing_file_with_unstated_price_years_fails_by_default(reference):
    with pytest.raises(ValuationError, match=r"not stated.*skip_invalid=True"):
        load_value_set(reference("value", "wellbeing_values.csv"))


def test_an_unknown_value_id_suggests_close_ids():
    with pytest.raises(ValuationError, match=r"unknown value id 'GMCA-UCD-HE20\.9'.*did you mean"):
        default_value_set()["GMCA-UCD-HE20.9"]


def test_an_outcome_from_a_value_carries_its_price_year_agency_and_units():
    outcome = default_value_set().outcome("GMCA-UCD-HE20.2", people=50, quantity=2, deadweight=0.3)
    assert outcome.value == 76.0
    assert outcome.price_year == "2013/14"
    assert outcome.agency == "NHS / GP"
    assert outcome.category == "fiscal"
    assert outcome.deadweight == 0.3


def test_an_outcome_value_can_be_given_an_uncertainty_multiplier():
    outcome = default_value_set().outcome("GMCA-UCD-HE20.2", uncertainty=Triangular(0.5, 1.0, 1.5))
    assert outcome.value == Triangular(19.0, 38.0, 57.0)


def test_an_outcome_needs_a_category_when_the_value_has_none():
    values = parse_value_set_from_string("id,description,value_gbp,price_year\nX,Thing,10,2019\n")
    with pytest.raises(ValuationError, match="category="):
        values.outcome("X")
    assert values.outcome("X", category="economic").category == "economic"


def test_repeated_ids_are_refused():
    text = "id,description,value_gbp,price_year\nX,A,1,2019\nX,B,2,2019\n"
    with pytest.raises(ValuationError, match="appears twice"):
        parse_value_set_from_string(text)


def test_missing_columns_are_named():
    with pytest.raises(ValuationError, match="price_year"):
        parse_value_set_from_string("id,description,value_gbp\nX,A,1\n")


def test_a_non_numeric_value_is_refused_with_its_line():
    with pytest.raises(ValuationError, match="line 2"):
        parse_value_set_from_string("id,description,value_gbp,price_year\nX,A,lots,2019\n")


def test_merged_sets_prefer_the_second_set():
    first = parse_value_set_from_string("id,description,value_gbp,price_year\nX,A,1,2019\n", name="a")
    second = parse_value_set_from_string("id,description,value_gbp,price_year\nX,A,2,2019\n", name="b")
    assert first.merged(second)["X"].value == 2.0


def test_unit_cost_benefit_payment_components_load_as_transfers_and_health_savings_do_not(reference):
    values = load_value_set(reference("value", "unit_costs.csv"))
    assert values["GMCA-UCD-E&E1.0.1"].transfer
    assert values["GMCA-UCD-E&E3.0.1"].transfer
    assert not values["GMCA-UCD-E&E1.0.2"].transfer
    assert not values["GMCA-UCD-HE4.0"].transfer


def test_a_transfer_cannot_be_counted_as_economic_or_social_value():
    with pytest.raises(ValuationError, match=r"transfer.*fiscal only"):
        default_value_set().outcome("GMCA-UCD-HO7.0", category="economic")
