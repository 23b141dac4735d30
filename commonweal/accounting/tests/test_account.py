"""The account of a small hand-built place: every figure equals a hand calculation."""

import datetime

import pytest

from commonweal.accounting.account import Scope, build_account
from commonweal.accounting.models import AccountAssumptions, OutcomeRule
from commonweal.deal.services import record_contribution
from commonweal.engines.valuation import distributional_weight, rebase
from commonweal.people.models import Instrument
from commonweal.people.services import create_person, record_conversation, record_wellbeing
from commonweal.places.services import import_place_text

START, END = datetime.date(2024, 4, 1), datetime.date(2025, 4, 1)
PEOPLE = 12
DF1 = 1 / 1.035  # Green Book discount factor for year 1 (3.5%)


@pytest.fixture
def supported_place(place, organisations, connector):
    """12 people in the most deprived neighbourhood whose life satisfaction rose from 4 to 6, and £12,000 put in."""
    import_place_text(place, "postcodes", "pcds,lsoa11cd\nWN1 1AA,E01006213\nWN5 5AA,E01006214\n", file="p", by=None)
    AccountAssumptions.objects.create(
        place=place,
        counterfactual_change=0.2,
        attribution=0.25,
        deadweight=0.0,
        duration_years=1,
        drop_off=0.5,
        price_year=2024,
        draws=0,
    )
    ons4 = Instrument.objects.get(code="ons4")
    answers = {"life_satisfaction": 4, "worthwhile": 5, "happiness": 5, "anxiety": 6}
    for i in range(PEOPLE):
        person = create_person(
            place,
            organisations["team_a"],
            by=connector,
            full_name=f"Person {i}",
            postcode="WN1 1AA",
            support_given_on=datetime.date(2024, 1, 1),
        )
        record_wellbeing(person, ons4, answers, by=connector, taken_on=datetime.date(2024, 2, 1))
        record_conversation(
            person, by=connector, held_on=datetime.date(2024, 5, 1), setting="home", what_matters="Getting out more"
        )
        record_wellbeing(
            person, ons4, {**answers, "life_satisfaction": 6}, by=connector, taken_on=datetime.date(2024, 9, 1)
        )
    neighbourhoods = {n.code: n for n in place.neighbourhoods.all()}
    record_contribution(
        place,
        by=None,
        kind="money",
        given_on=datetime.date(2024, 6, 1),
        sector="public",
        contributor_organisation=organisations["council"],
        amount_pence=1_000_000,
        neighbourhood=neighbourhoods["E01006213"],
        description="Connector team",
    )
    record_contribution(
        place,
        by=None,
        kind="money",
        given_on=datetime.date(2024, 7, 1),
        sector="private",
        contributor_label="A local firm",
        amount_pence=200_000,
        neighbourhood=neighbourhoods["E01006214"],
        description="Sponsorship",
    )
    return place


def test_every_figure_of_the_account_equals_a_hand_calculation(supported_place):
    account = build_account(Scope(supported_place, START, END))
    wellby_2024 = rebase(13_000, 2019, 2024)
    social = PEOPLE * (6 - 4 - 0.2) * wellby_2024 * (1 - 0.25) * DF1
    value = account["value"]
    assert account["wellbeing"] == {
        "people": 12,
        "mean_change": 2.0,
        "counterfactual_change": 0.2,
        "net_change": pytest.approx(1.8),
    }
    assert value["social"] == pytest.approx(social)
    assert (value["fiscal"], value["economic"]) == (0.0, 0.0)
    assert value["resources"] == pytest.approx(12_000)
    assert value["ratio"] == pytest.approx(social / 12_000)
    assert value["equity_weighted"] == pytest.approx(social * distributional_weight(1 / 0.6))
    sectors = {s["sector"]: s for s in account["resources"]["by_sector"]}
    assert (sectors["public"]["pounds"], sectors["private"]["pounds"], sectors["residents"]["pounds"]) == (
        10_000,
        2_000,
        0,
    )
    activity = {a["key"]: a["count"] for a in account["activity"]}
    assert activity["conversations"] == 12
    assert activity["people_supported"] == 12
    assert activity["connections_made"] is None  # 0 is under 10: never shown


def test_fairness_by_decile_equals_a_hand_calculation(supported_place):
    fairness = build_account(Scope(supported_place, START, END))["fairness"]
    rows = {r["decile"]: r for r in fairness["deciles"]}
    assert rows[1]["population"] == 1685
    assert rows[1]["resources_per_head"] == pytest.approx(10_000 / 1685)
    assert rows[8]["resources_per_head"] == pytest.approx(2_000 / 1500)
    assert rows[1]["value_share"] == pytest.approx(1.0)
    fifth = fairness["most_deprived_fifth"]
    assert fifth["population_share"] == pytest.approx(1685 / 4623)
    assert fifth["resources_share"] == pytest.approx(10_000 / 12_000)
    assert fifth["value_share"] == pytest.approx(1.0)


def test_an_outcome_rule_adds_fiscal_value_from_its_value_set(supported_place):
    OutcomeRule.objects.create(
        place=supported_place,
        name="GP appointments avoided",
        activity="conversations",
        value_id="GMCA-UCD-HE20.2",
        quantity_low=1,
        quantity=2,
        quantity_high=3,
        category="fiscal",
        attribution=0.5,
        source="hand-made for the test",
    )
    account = build_account(Scope(supported_place, START, END))
    unit = rebase(38.0, "2013/14", 2024)
    assert account["value"]["fiscal"] == pytest.approx(12 * 2 * unit * 0.5 * DF1)
    assert any(line["figure"] == "GP appointments avoided" for line in account["trace"])


def test_a_district_account_counts_only_its_own_neighbourhoods(supported_place):
    south = supported_place.districts.get(code="D2")
    account = build_account(Scope(supported_place, START, END, district=south))
    assert account["value"]["resources"] == pytest.approx(2_000)
    assert account["wellbeing"]["people"] is None  # nobody supported there
    assert account["scope"]["population"] == 1500


def test_small_numbers_are_never_shown(supported_place):
    person_scope = Scope(
        supported_place, START, END, neighbourhood=supported_place.neighbourhoods.get(code="E01006214")
    )
    account = build_account(person_scope)
    assert all(a["count"] is None or a["count"] >= 10 for a in account["activity"])
    assert account["wellbeing"]["people"] is None


def test_pooled_funds_and_grants_count_in_the_account_of_the_whole_place(supported_place, organisations):
    from commonweal.investment.services.funds import add_contribution, create_fund

    fund = create_fund(
        supported_place,
        by=None,
        name="Community fund",
        purpose="Trust-based grants",
        managed_by=organisations["council"],
        grant_id_prefix="360G-test",
    )
    add_contribution(fund, organisations["council"], 300_000, by=None, received_on=datetime.date(2024, 5, 1))
    account = build_account(Scope(supported_place, START, END))
    sectors = {s["sector"]: s for s in account["resources"]["by_sector"]}
    assert sectors["public"]["pounds"] == 13_000
    assert sectors["public"]["funds_pounds"] == 3_000
    assert account["value"]["resources"] == pytest.approx(15_000)
    district = build_account(Scope(supported_place, START, END, district=supported_place.districts.get(code="D1")))
    assert district["value"]["resources"] == pytest.approx(10_000)  # funds are place-wide


def test_a_contracts_review_estimates_its_value_at_the_places_ratio(supported_place, organisations):
    from commonweal.investment.review import contract_value
    from commonweal.investment.services.contracts import add_commissioner_share, create_contract

    contract = create_contract(supported_place, by=None, title="Connectors alliance", starts_on=START, ends_on=END)
    add_commissioner_share(contract, organisations["council"], 500_000, by=None)
    ratio = build_account(Scope(supported_place, START, END))["value"]["ratio"]
    value = contract_value(contract)
    assert value.social_value_pence == round(500_000 * ratio)
    assert "social productivity ratio" in value.source
