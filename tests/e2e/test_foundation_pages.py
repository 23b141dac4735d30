"""Every page of the foundation in a real browser: it works, the map draws, and axe finds nothing serious."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import add_boundaries, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mapped_place(place):
    add_boundaries(place)
    return place


def test_the_place_overview_draws_the_map_and_is_accessible(page, live_server, mapped_place, check_accessibility):
    page.goto(live_server.url + mapped_place.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^" + re.escape("Wigan <script>")))
    page.wait_for_selector(".cw-map path.leaflet-interactive")
    expect(page.locator(".cw-map path.leaflet-interactive")).to_have_count(3)
    check_accessibility()
    assert page.console_errors == []


def test_a_click_on_the_map_opens_the_neighbourhood(page, live_server, mapped_place):
    page.goto(live_server.url + mapped_place.get_absolute_url())
    page.locator(".cw-map path.leaflet-interactive").first.click()
    page.wait_for_url("**/neighbourhoods/**")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_district_and_neighbourhood_pages_are_accessible(page, live_server, mapped_place, check_accessibility):
    for url in [
        mapped_place.districts.get(code="D1").get_absolute_url(),
        mapped_place.neighbourhoods.get(code="E01006212").get_absolute_url(),
    ]:
        page.goto(live_server.url + url)
        page.wait_for_selector(".cw-map path.leaflet-interactive")
        check_accessibility()
    assert page.console_errors == []


def test_the_pages_work_without_javascript(browser, live_server, mapped_place):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + mapped_place.get_absolute_url())
    page.get_by_role("link", name=mapped_place.districts.get(code="D1").name).click()
    expect(page.locator("main")).to_contain_text("E01006213")
    context.close()


def test_sign_in_pages_and_errors_are_accessible(page, live_server, connector, check_accessibility):
    page.goto(live_server.url + reverse("accounts:sign_in"))
    check_accessibility()
    page.get_by_label("Email address").fill(connector.email)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_accessibility()
    page.goto(live_server.url + reverse("accounts:password_reset"))
    check_accessibility()
    page.get_by_label("Email address").fill(connector.email)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_url("**/password-reset/sent/")
    check_accessibility()


def test_an_administrator_signs_in_and_reads_the_audit_trail(
    page, live_server, administrator, organisations, place, check_accessibility
):
    sign_in(page, live_server, administrator)
    check_accessibility()
    page.get_by_role("link", name="Audit trail of").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Audit trail of"))
    expect(page.get_by_role("cell", name="signed in").first).to_be_visible()
    check_accessibility()
    page.goto(live_server.url + organisations["team_a"].get_absolute_url())
    check_accessibility()
    page.goto(live_server.url + organisations["vcse"].get_absolute_url())
    check_accessibility()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.console_errors == []
