"""Contracts (joint commissioning, alliances, shared outcomes, the review hook) and the commands."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from commonweal.engines.voting import parse_pabulib, read_pabulib
from commonweal.investment import services
from commonweal.investment.errors import InvestmentError
from commonweal.investment.models import PBProcess
from commonweal.investment.review import ContractValue, register_value_source, review_rows, unregister_value_source

from .conftest import TODAY


@pytest.fixture
def alliance(place, funders, organisations, commissioner):
    contract = services.create_contract(place, by=commissioner, title="Alliance", starts_on=TODAY, ends_on=TODAY)
    services.add_commissioner_share(contract, funders["council"], 600_000, by=commissioner)
    services.add_commissioner_share(contract, funders["nhs"], 400_000, by=commissioner)
    services.add_provider(contract, organisations["vcse"], by=commissioner, role="lead")
    services.add_provider(contract, funders["business"], by=commissioner)
    return contract


def test_a_jointly_commissioned_contract_costs_the_sum_of_its_shares(alliance, funders, commissioner):
    assert alliance.cost_pence() == 1_000_000
    with pytest.raises(InvestmentError, match="already has a share"):
        services.add_commissioner_share(alliance, funders["nhs"], 1, by=commissioner)
    with pytest.raises(InvestmentError, match="more than nothing"):
        services.add_commissioner_share(alliance, funders["council"], 0, by=commissioner)


def test_an_alliance_has_one_lead_and_a_single_contract_one_provider(
    alliance, place, funders, organisations, commissioner
):
    with pytest.raises(InvestmentError, match="lead provider already"):
        services.add_provider(alliance, funders["nhs"], by=commissioner, role="lead")
    single = services.create_contract(
        place, by=commissioner, title="Single", kind="single", starts_on=TODAY, ends_on=TODAY
    )
    services.add_provider(single, organisations["vcse"], by=commissioner)
    with pytest.raises(InvestmentError, match="one provider"):
        services.add_provider(single, funders["nhs"], by=commissioner)


def test_a_contract_cannot_end_before_it_starts(place, commissioner):
    with pytest.raises(InvestmentError):
        services.create_contract(place, by=commissioner, title="x", starts_on=TODAY, ends_on=TODAY.replace(year=2024))


def test_the_review_sets_cost_beside_outcome_progress_and_takes_value_from_a_registered_source(alliance, commissioner):
    outcome = services.add_shared_outcome(
        alliance,
        by=commissioner,
        title="Falls",
        measure="per 1,000",
        baseline=Decimal(20),
        target=Decimal(15),
        direction="lower",
    )
    services.record_measurement(outcome, by=commissioner, period_end=TODAY, value=Decimal(19))
    services.record_measurement(outcome, by=commissioner, period_end=TODAY, value=Decimal(17))  # a correction
    (row,) = review_rows(alliance.place)
    assert row.cost_pence == 1_000_000
    assert row.outcomes[0].progress == 60
    assert row.value is None

    def accounting(contract):
        return ContractValue(social_value_pence=3_500_000, source="test account")

    register_value_source(accounting)
    try:
        (row,) = review_rows(alliance.place)
        assert row.value_per_pound == Decimal("3.50")
    finally:
        unregister_value_source(accounting)


def test_a_decommissioned_contract_says_so(alliance, commissioner):
    services.set_contract_status(alliance, "decommissioned", by=commissioner)
    alliance.refresh_from_db()
    assert alliance.get_status_display() == "Decommissioned"


def test_the_360giving_command_writes_json_and_csv(award, place, tmp_path):
    out = io.StringIO()
    call_command("export_360giving", place.code, str(tmp_path), stdout=out)
    data = json.loads((tmp_path / f"{place.code}-grants.json").read_text())
    assert [g["id"] for g in data["grants"]] == [award.grant_id]
    assert award.grant_id in (tmp_path / f"{place.code}-grants.csv").read_text()
    assert "1 grants written" in out.getvalue()


def test_the_pabulib_commands_round_trip_a_real_file(place, reference, tmp_path):
    path = reference("pb", "Netherlands_Assen_2024.pb")
    call_command("import_pabulib", place.code, str(path), stdout=io.StringIO())
    process = PBProcess.objects.get()
    call_command("export_pabulib", str(process.pk), str(tmp_path / "out.pb"), stdout=io.StringIO())
    assert parse_pabulib((tmp_path / "out.pb").read_text()) == read_pabulib(path)
    with pytest.raises(CommandError):
        call_command("import_pabulib", place.code, str(tmp_path / "missing.pb"))
