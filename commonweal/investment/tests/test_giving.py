"""The 360Giving export validates against the standard's own schemas (shared/data/grants)."""

import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.investment import giving, services

from .conftest import TODAY


@pytest.fixture(scope="module")
def validator(reference):
    grant_schema = json.loads(reference("grants", "360-giving-schema.json").read_text())
    package_schema = json.loads(reference("grants", "360-giving-package-schema.json").read_text())
    resource = Resource.from_contents(grant_schema, default_specification=DRAFT202012)
    # The package's $ref names the 1.4.2 URL; the saved grant schema's $id is 1.4.3 (see SOURCES.md).
    registry = Registry().with_resources(
        [(package_schema["properties"]["grants"]["items"]["$ref"], resource), (grant_schema["$id"], resource)]
    )
    # Date fields are oneOf(date-time format, YYYY-MM-DD pattern): formats must be checked (jsonschema checks
    # date-time with rfc3339-validator, a test dependency).
    checker = Draft202012Validator.FORMAT_CHECKER
    assert "date-time" in checker.checkers, "install rfc3339-validator (make install does)"
    return Draft202012Validator(package_schema, registry=registry, format_checker=checker)


def errors_of(validator, data):
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_validator_accepts_the_standards_example_and_rejects_a_broken_one(validator, reference):
    example = json.loads(reference("grants", "example_package.json").read_text())
    assert errors_of(validator, example) == []
    del example["grants"][0]["fundingOrganization"]
    assert errors_of(validator, example)


@pytest.fixture
def pooled_awards(award, fund, funders, open_round, panel_member, commissioner, place, hostile):
    services.add_contribution(fund, funders["business"], 100_000, by=commissioner, received_on=TODAY)
    services.record_payment(award, 600_000, by=commissioner, paid_on=TODAY)
    charity = create_organisation(
        f"Men's Shed {hostile}", Organisation.Kind.VCSE, place=place, by=None, identifier="GB-COH-09990003"
    )
    application = services.submit_application(
        open_round,
        charity,
        by=None,
        title="Tools",
        summary="Tools for the shed",
        amount_requested_pence=50_000,
        duration_months=6,
        unrestricted=False,
    )
    services.decide_application(application, by=panel_member, award=True, reasons="yes", amount_pence=40_000)
    return fund


def test_the_json_package_validates_against_the_360giving_schema(validator, pooled_awards, place, funders):
    data = giving.package(place, publisher=funders["council"])
    assert errors_of(validator, data) == []
    assert len(data["grants"]) == 2
    first = next(g for g in data["grants"] if g["amountAwarded"] == 12500.5)
    assert first["id"].startswith("360G-wigancouncil-")
    assert first["currency"] == "GBP"
    assert first["awardDate"] == "2025-04-01"
    assert first["recipientOrganization"] == [
        {"id": "GB-CHC-1234567", "name": first["recipientOrganization"][0]["name"], "charityNumber": "1234567"}
    ]
    # A pooled fund names every partner with an identifier, its manager first.
    assert [o["id"] for o in first["fundingOrganization"]] == ["GB-LAE-WGN", "GB-NHS-00T", "GB-COH-09990004"]
    assert first["amountDisbursed"] == 6000
    assert first["plannedDates"][0]["duration"] == 24
    second = next(g for g in data["grants"] if g["amountAwarded"] == 400)
    assert second["classifications"][0]["code"] == "restricted"
    assert second["recipientOrganization"][0]["companyNumber"] == "09990003"


def test_the_csv_reads_back_into_grants_that_validate(validator, pooled_awards, place):
    text = giving.csv_text(giving.package(place)["grants"])
    assert text.splitlines()[0].startswith("Identifier,Title,Description,Currency")
    grants = giving.grants_from_csv(text)
    assert len(grants) == 2
    assert errors_of(validator, {"grants": grants}) == []
    assert {g["amountAwarded"] for g in grants} == {12500.5, 400.0}
    assert len(grants[0]["fundingOrganization"]) == 3


def test_the_export_never_carries_a_persons_details(pooled_awards, place, provider, panel_member, award, commissioner):
    services.add_conversation_note(award.application, "Spoke with Mrs Jones on 07700 900123", by=commissioner)
    text = json.dumps(giving.package(place)) + giving.csv_text(giving.package(place)["grants"])
    for person in (provider, panel_member, commissioner):
        assert person.email not in text
        assert person.full_name.split()[0] not in text
    assert "Mrs Jones" not in text
    assert "recipientIndividual" not in text
    assert "Known and trusted" not in text  # the panel's reasons are not published


def test_an_award_to_an_organisation_without_an_identifier_is_held_back(open_round, panel_member, place, validator):
    group = create_organisation("Unregistered group", Organisation.Kind.COMMUNITY_GROUP, place=place, by=None)
    application = services.submit_application(
        open_round, group, by=None, title="Picnic", summary="A picnic", amount_requested_pence=10_000
    )
    services.decide_application(application, by=panel_member, award=True, reasons="yes")
    assert giving.package(place)["grants"] == []
    assert [a.recipient for a in giving.unpublishable(place)] == [group]
