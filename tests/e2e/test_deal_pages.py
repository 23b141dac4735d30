"""The Deal's pages in a real browser: they work, with and without JavaScript, and axe finds nothing serious."""

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commonweal.deal import services, timebank
from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made with passwords; the default hasher is slow by design and not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def deal(place, organisations, resident, commissioner):
    services.make_pledge(place, by=None, organisation=organisations["council"], title="Keep council tax low", number=1)
    services.make_pledge(place, by=resident, user=resident, title="Recycle more")
    services.record_contribution(
        place, by=None, kind="time", minutes=90, given_on=date.today(), contributor_user=resident,
        neighbourhood=place.neighbourhoods.first(),
    )  # fmt: skip
    services.record_contribution(
        place, by=None, kind="money", amount_pence=50_000, given_on=date.today(),
        contributor_organisation=organisations["council"], supported_organisation=organisations["vcse"],
    )  # fmt: skip
    giver = timebank.join_time_bank(place, by=None, user=resident)
    taker = timebank.join_time_bank(place, by=None, user=commissioner)
    timebank.add_listing(taker, by=None, kind="request", title="Help with the garden")
    proposed = timebank.propose_exchange(
        by=None,
        proposer=giver,
        provider=giver,
        recipient=taker,
        minutes=60,
        description="Mowed",
        occurred_on=date.today(),
    )
    timebank.confirm_exchange(proposed, by=None, member=taker)
    return place


def test_the_public_deal_and_time_bank_pages_are_accessible(page, live_server, deal, check_accessibility):
    page.goto(live_server.url + reverse("deal:deal", args=[deal.code]))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Deal")
    expect(page.get_by_role("link", name="Keep council tax low")).to_be_visible()
    check_accessibility()
    page.get_by_role("link", name="Keep council tax low").click()
    check_accessibility()
    page.goto(live_server.url + reverse("deal:time_bank", args=[deal.code]))
    expect(page.get_by_text("fewer than 10").first).to_be_visible()
    check_accessibility()
    assert page.console_errors == []


def test_a_resident_makes_a_pledge_and_posts_an_update(page, live_server, deal, resident, check_accessibility):
    sign_in(page, live_server, resident)
    page.goto(live_server.url + reverse("deal:pledge_new", args=[deal.code]))
    check_accessibility()
    page.get_by_role("button", name="Make the pledge").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary
    check_accessibility()
    page.get_by_label("What do you promise?").fill("Walk to school")
    page.get_by_role("button", name="Make the pledge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Walk to school")
    page.get_by_label("How is it going?").fill("Every day this week")
    page.get_by_role("button", name="Publish update").click()
    expect(page.get_by_text("Every day this week")).to_be_visible()
    check_accessibility()
    page.goto(live_server.url + reverse("deal:my_part", args=[deal.code]))
    expect(page.get_by_role("link", name="Walk to school")).to_be_visible()
    check_accessibility()
    assert page.console_errors == []


def test_a_commissioner_filters_the_ledger_and_records_a_contribution(
    page, live_server, deal, commissioner, check_accessibility
):
    sign_in(page, live_server, commissioner)
    page.goto(live_server.url + reverse("deal:ledger", args=[deal.code]))
    check_accessibility()
    residents_row = page.get_by_role("cell", name=re.compile("^A resident"))
    expect(residents_row.first).to_be_visible()
    page.get_by_label("Sector", exact=True).select_option("public")
    page.get_by_role("button", name="Filter").click()
    # The unfiltered ledger shows the same row, so wait for the filtered page before looking.
    expect(page).to_have_url(re.compile("sector=public"))
    expect(page.get_by_role("cell", name="£500.00").first).to_be_visible()
    expect(residents_row).to_have_count(0)
    page.get_by_role("link", name="Record a contribution").click()
    check_accessibility()
    page.get_by_label("Kind", exact=True).select_option("money")
    page.get_by_label("Amount or value in pounds").fill("20")
    page.get_by_label("Currency", exact=True).fill("EUR")
    page.get_by_label("Or from (as recorded)").fill("Bucket collection")
    page.get_by_label("Sector", exact=True).select_option("residents")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Or from (as recorded)")).to_have_value("Bucket collection")
    check_accessibility()
    page.get_by_label("Currency", exact=True).fill("GBP")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Money: £20.00")
    check_accessibility()
    page.goto(live_server.url + reverse("deal:rates", args=[deal.code]))
    check_accessibility()
    assert page.console_errors == []


def test_the_deal_works_without_javascript(browser, live_server, deal, resident):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, resident)
    page.goto(live_server.url + reverse("deal:listings", args=[deal.code]))
    page.get_by_role("link", name="Record an exchange").click()
    page.get_by_label("Hours", exact=True).fill("1.5")
    page.get_by_label("What was done").fill("Weeded the beds")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("main")).to_contain_text("Waiting for confirmation")
    context.close()


def test_an_administrator_changes_the_time_bank_limits(page, live_server, deal, administrator, check_accessibility):
    sign_in(page, live_server, administrator)
    page.goto(live_server.url + reverse("deal:time_bank_policy", args=[deal.code]))
    check_accessibility()
    page.get_by_label("Lowest balance, in hours").fill("3")
    page.get_by_role("button", name="Save the limits").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary: a floor above zero
    expect(page.get_by_label("Lowest balance, in hours")).to_have_value("3")
    check_accessibility()
    page.get_by_label("Lowest balance, in hours").fill("-5")
    page.get_by_role("button", name="Save the limits").click()
    expect(page.get_by_text("-5 hours")).to_be_visible()
    check_accessibility()
    assert page.console_errors == []
