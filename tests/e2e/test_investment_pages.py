"""Investment pages in a real browser: funds and grants, the panel, PB voting (also without JavaScript),
contracts; axe-core finds nothing serious on any of them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commonweal.accounts.models import Organisation, Role
from commonweal.accounts.services import create_organisation, create_user, grant_role
from commonweal.investment import services
from commonweal.places.services import import_place_text
from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date(2025, 4, 1)


@pytest.fixture
def grant_round(place, organisations, commissioner):
    council = organisations["council"]
    council.identifier = "GB-LAE-WGN"
    council.save(update_fields=["identifier"])
    fund = services.create_fund(
        place,
        by=commissioner,
        name="Community Fund <b>",
        purpose="Grants on trust",
        managed_by=council,
        grant_id_prefix="360G-wigancouncil",
    )
    services.add_contribution(fund, council, 5_000_000, by=commissioner, received_on=TODAY)
    round_ = services.create_round(fund, by=commissioner, title="Spring grants", description="Small grants")
    return services.set_round_status(round_, "open", by=commissioner)


@pytest.fixture
def panel_member(place, organisations):
    user = create_user("panel@e2e.test", "Panel Member", by=None, password="pw-for-tests-1")
    grant_role(user, Role.PANEL_MEMBER, place=place, by=None, organisation=organisations["council"])
    return user


def test_a_provider_applies_and_the_panel_awards_a_grant(
    page, live_server, grant_round, provider, panel_member, check_accessibility
):
    page.goto(live_server.url + grant_round.fund.get_absolute_url())
    check_accessibility()
    sign_in(page, live_server, provider)
    page.goto(live_server.url + grant_round.get_absolute_url())
    check_accessibility()
    page.get_by_role("link", name="Apply for a grant").click()
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary
    check_accessibility()
    page.get_by_label("What is it for, in a line?").fill("Lunch club")
    page.get_by_label("Tell us about it in a few sentences").fill("A weekly lunch club for people living alone.")
    page.get_by_label("How much are you asking for?").fill("2500")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lunch club")
    check_accessibility()
    application_url = page.url

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, panel_member)
    page.goto(application_url)
    page.get_by_label("Award a grant").check()
    page.get_by_label("The panel's reasons").fill("A trusted group.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="The award").click()
    expect(page.locator("main")).to_contain_text("£2,500")
    check_accessibility()
    assert page.console_errors == []


@pytest.fixture
def voting(place, commissioner, resident):
    import_place_text(place, "postcodes", "pcds,lsoa11cd,lat,long\nWN1 1AA,E01006213,53.54,-2.63\n", file="p", by=None)
    process = services.create_process(place, by=commissioner, title="North decides", budget_pence=1_000_000)
    services.advance_stage(process, by=commissioner)
    residence = services.declare_residence(resident, place, "WN1 1AA", by=resident)
    services.verify_residence(residence, by=commissioner)
    projects = [
        services.propose_project(process, by=resident, title=title, description="d")
        for title in ("Benches", "Planters", "Play area")
    ]
    services.advance_stage(process, by=commissioner)
    for project, cost in zip(projects, (400_000, 300_000, 600_000), strict=True):
        services.check_project(project, by=commissioner, feasible=True, cost_pence=cost)
    services.advance_stage(process, by=commissioner)
    return process


def test_a_resident_votes_and_changes_their_vote_without_javascript(browser, live_server, voting, resident):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, resident)
    page.goto(live_server.url + voting.get_absolute_url())
    page.get_by_role("link", name="Vote").click()
    page.get_by_label("Benches").check()
    page.get_by_label("Play area").check()
    page.get_by_role("button", name="Save my vote").click()
    page.get_by_role("link", name="Change your vote").click()
    assert page.get_by_label("Benches").is_checked()
    page.get_by_label("Benches").uncheck()
    page.get_by_role("button", name="Save my vote").click()
    assert services.ballot_of(voting, resident) == {voting.projects.get(title="Play area").pk: 1}
    context.close()


def test_pb_pages_and_results_are_accessible(page, live_server, voting, resident, commissioner, check_accessibility):
    sign_in(page, live_server, resident)
    page.goto(live_server.url + reverse("investment:pb_vote", args=[voting.place.code, voting.pk]))
    check_accessibility()
    page.get_by_label("Planters").check()
    page.get_by_role("button", name="Save my vote").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, commissioner)
    page.goto(live_server.url + voting.get_absolute_url())
    check_accessibility()
    page.get_by_role("button", name="Close voting").click()
    page.get_by_role("button", name="Count the votes and publish the results").click()
    expect(page.get_by_text("1 residents voted")).to_be_visible()
    page.get_by_text("How the rule decided, step by step").click()
    expect(page.locator("#explanation")).to_contain_text("method_of_equal_shares")
    check_accessibility()
    page.goto(live_server.url + reverse("investment:pb_list", args=[voting.place.code]))
    check_accessibility()
    assert page.console_errors == []


def test_contract_pages_are_accessible(page, live_server, place, organisations, commissioner, check_accessibility):
    nhs = create_organisation("NHS partner", Organisation.Kind.NHS, place=place, by=None)
    contract = services.create_contract(place, by=commissioner, title="Ageing well", starts_on=TODAY, ends_on=TODAY)
    services.add_commissioner_share(contract, organisations["council"], 100_000, by=commissioner)
    services.add_commissioner_share(contract, nhs, 50_000, by=commissioner)
    services.add_provider(contract, organisations["vcse"], by=commissioner, role="lead")
    outcome = services.add_shared_outcome(
        contract, by=commissioner, title="Fewer falls", measure="per 1,000", baseline=Decimal(20), target=Decimal(15)
    )
    services.record_measurement(outcome, by=commissioner, period_end=TODAY, value=Decimal(18))
    sign_in(page, live_server, commissioner)
    page.goto(live_server.url + contract.get_absolute_url())
    check_accessibility()
    page.goto(live_server.url + reverse("investment:contract_review", args=[place.code]))
    expect(page.get_by_text("40% of the way")).to_be_visible()
    check_accessibility()
    assert page.console_errors == []
