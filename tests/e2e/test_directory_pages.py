"""The directory's pages in a real browser: search, an offer with its map, and a proposal checked by an administrator."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commonweal.directory.feeds import feed_from_json
from commonweal.directory.models import Service
from commonweal.directory.services import import_oruk
from commonweal.places.services import import_place_text
from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(place, reference):
    folder = reference("directory", "sample_directory", "services.json").parent
    feed = feed_from_json(json.loads((folder / "services.json").read_text())[:40], label="sample")
    feed.taxonomy_terms = json.loads((folder / "taxonomy_terms.json").read_text())
    import_oruk(place, feed, by=None)
    # A neighbourhood boundary round the first physical venue, so its map has a shape as well as a point.
    service = Service.objects.filter(service_at_locations__location__location_type="physical").order_by("pk").first()
    location = service.service_at_locations.first().location
    lon, lat = location.longitude, location.latitude
    ring = [
        [lon - 0.01, lat - 0.01],
        [lon + 0.01, lat - 0.01],
        [lon + 0.01, lat + 0.01],
        [lon - 0.01, lat + 0.01],
        [lon - 0.01, lat - 0.01],
    ]
    feature = {
        "type": "Feature",
        "properties": {"lsoa11cd": "E01006212"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    import_place_text(
        place, "boundaries", json.dumps({"type": "FeatureCollection", "features": [feature]}), file="b", by=None
    )
    location.neighbourhood = place.neighbourhoods.get(code="E01006212")
    location.save(update_fields=["neighbourhood"])
    return service


def test_a_resident_searches_in_plain_words_and_opens_an_offer_with_its_map(
    page, live_server, place, directory, check_accessibility
):
    page.goto(live_server.url + reverse("directory:search", args=[place.code]))
    check_accessibility()
    page.get_by_label("What matters to the person").fill("lonely, lives on her own")
    page.get_by_role("button", name="Find offers").click()
    expect(page.get_by_role("heading", name="Offers that fit")).to_be_visible()
    expect(page.get_by_text("Why it was found").first).to_be_visible()
    check_accessibility()
    page.goto(live_server.url + directory.get_absolute_url())
    page.wait_for_selector(".cw-map path.leaflet-interactive")
    expect(page.locator(".cw-map .leaflet-marker-icon").first).to_be_visible()
    check_accessibility()
    assert page.console_errors == []


def test_search_and_browse_work_without_javascript(browser, live_server, place, directory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("directory:search", args=[place.code]))
    page.get_by_label("Category").select_option(label="Health & Social Care Services")
    page.get_by_role("button", name="Find offers").click()
    page.get_by_role("link", name="Telephone Befriending for Older People").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Telephone Befriending for Older People")
    context.close()


def test_a_provider_proposes_an_offer_and_an_administrator_approves_it(
    browser, live_server, place, provider, administrator, check_accessibility, page
):
    sign_in(page, live_server, provider)
    page.goto(live_server.url + reverse("directory:propose", args=[place.code]))
    check_accessibility()
    page.get_by_role("button", name="Send for checking").click()
    expect(page.get_by_role("alert")).to_be_visible()  # the error summary: name and description are needed
    check_accessibility()
    page.get_by_label("Name of the offer").fill("Caffi Siân 🌈 Knit and Natter")
    page.get_by_label("What it is").fill("Bring your needles, we bring the tea.")
    page.get_by_label("Cost").fill("Free")
    page.get_by_role("button", name="Send for checking").click()
    expect(page.get_by_text("Waiting for a check").first).to_be_visible()
    check_accessibility()
    other = browser.new_context()
    admin_page = other.new_page()
    sign_in(admin_page, live_server, administrator)
    admin_page.goto(live_server.url + reverse("directory:changes", args=[place.code]))
    admin_page.get_by_role("link", name="Caffi Siân 🌈 Knit and Natter").click()
    admin_page.get_by_label("Note to the organisation").fill("Thank you")
    admin_page.get_by_role("button", name="Approve").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Caffi Siân 🌈 Knit and Natter")
    other.close()
