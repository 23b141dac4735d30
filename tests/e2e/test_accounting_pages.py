"""The account and outcome pages in a real browser: they work, the map and charts draw, axe finds nothing serious."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commonweal.accounting.services import create_indicator_series, import_indicator_text
from tests.e2e.browser import add_boundaries

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PERIOD = "?from=2024-01-01&to=2025-01-01"


@pytest.fixture
def mapped_place(place):
    add_boundaries(place)
    series = create_indicator_series(place, "falls", "Falls", "rate", by=None)
    lines = ["period,lsoa_code,count,population"]
    for month in range(1, 13):
        lines += [f"2024-{month:02d},{code},{20 + month % 4},2000" for code in ("E01006212", "E01006213", "E01006214")]
    import_indicator_text(series, "\n".join(lines), file="f.csv", by=None)
    return place


def test_the_account_page_draws_its_charts_and_map_and_is_accessible(
    page, live_server, mapped_place, check_accessibility
):
    page.goto(live_server.url + reverse("accounting:account", args=[mapped_place.code]) + PERIOD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("svg.cw-chart")).to_have_count(2)
    page.wait_for_selector(".cw-map path.leaflet-interactive")
    page.locator(".cw-map path.leaflet-interactive").first.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "<script>" in tooltip.inner_text()  # a name shown as text, never run as markup
    check_accessibility()
    page.get_by_role("link", name="How was this worked out?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^How the account"))
    check_accessibility()
    assert page.console_errors == []


def test_outcome_pages_with_an_spc_chart_are_accessible(page, live_server, mapped_place, check_accessibility):
    page.goto(live_server.url + reverse("accounting:outcomes", args=[mapped_place.code]))
    check_accessibility()
    page.get_by_role("link", name="Falls").click()
    expect(page.locator("figure svg")).to_have_count(1)
    check_accessibility()
    assert page.console_errors == []
