"""Relational practice in a real browser: a connector's day, a provider's answer, a resident's own record.

Each page is checked with axe-core; the forms are used without JavaScript too.
"""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commonweal.people import services
from commonweal.people.instruments import ONS4
from commonweal.people.models import Connection, Instrument, LawfulBasis, Person, Purpose
from commonweal.places.services import import_place_text
from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POSTCODES = "pcds,lsoa11cd,lat,long\nWN1 1AA,E01006213,53.545,-2.632\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(place, organisations, connector, hostile):
    # Transactional tests flush the tables, the ONS4 row a migration loaded among them.
    if not Instrument.objects.filter(code="ons4").exists():
        services.load_instrument(ONS4, by=None)
    import_place_text(place, "postcodes", POSTCODES, file="p.csv", by=None)
    someone = services.create_person(
        place,
        organisations["team_a"],
        by=connector,
        full_name=f"Mair {hostile}",
        postcode="WN1 1AA",
        worker=connector,
        date_of_birth=date(1950, 1, 1),
    )
    services.record_conversation(
        someone, by=connector, held_on=date(2025, 1, 1), setting="home", what_matters=f"Singing {hostile}"
    )
    return someone


def test_a_connector_starts_a_record_has_a_conversation_and_adds_a_goal(
    page, live_server, place, organisations, connector, check_accessibility
):
    sign_in(page, live_server, connector)
    page.goto(live_server.url + reverse("people:caseload", args=[place.code]))
    check_accessibility()
    page.get_by_role("link", name="Someone new").click()
    check_accessibility()
    page.get_by_label("Full name").fill("Gwen Llŷr 🌈")
    page.get_by_label("NHS number").fill("123")
    page.get_by_role("button", name="Start their record").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Gwen Llŷr 🌈")
    check_accessibility()
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Start their record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gwen Llŷr 🌈")
    check_accessibility()
    page.get_by_role("link", name="New conversation").click()
    page.get_by_label("What matters to them").fill("Her allotment and her cat")
    page.get_by_label("Where").select_option("home")
    page.get_by_role("button", name="Save the conversation").click()
    expect(page.get_by_text("Her allotment and her cat")).to_be_visible()
    check_accessibility()
    page.get_by_role("link", name="Plan", exact=True).first.click()
    page.get_by_label("Goal, in their words").fill("Get the allotment going again")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_role("heading", name="Get the allotment going again")).to_be_visible()
    check_accessibility()
    assert page.console_errors == []


def test_the_timeline_consent_connections_and_export_pages_are_accessible(
    page, live_server, person, connector, check_accessibility
):
    sign_in(page, live_server, connector)
    for name in ["person", "consents", "connections", "plan", "export", "wellbeing_new", "person_edit"]:
        page.goto(live_server.url + reverse(f"people:{name}", args=[person.place.code, person.pk]))
        assert "<script>alert('pwned')" not in page.content()  # hostile text shows as text, never runs
        check_accessibility()
    assert page.console_errors == []


def test_a_provider_accepts_a_referral_from_their_inbox(
    page, live_server, person, organisations, connector, provider, check_accessibility
):
    services.record_consent(
        person, Purpose.SHARING, by=connector, lawful_basis=LawfulBasis.CONSENT, organisation=organisations["vcse"]
    )
    services.suggest_connection(person, by=connector, kind="group", group=organisations["vcse"], refer=True)
    sign_in(page, live_server, provider)
    page.goto(live_server.url + reverse("people:inbox", args=[person.place.code]))
    check_accessibility()
    page.get_by_role("link", name="Mair").click()
    check_accessibility()
    page.get_by_label("Accepted").check()
    page.get_by_role("button", name="Send the answer").click()
    page.wait_for_url("**/inbox/")
    assert Connection.objects.get().status == "accepted"


def test_a_resident_reads_their_own_record(page, live_server, person, resident, connector, check_accessibility):
    services.link_account(person, resident, by=connector)
    sign_in(page, live_server, resident)
    page.goto(live_server.url + reverse("people:my_record"))
    expect(page.get_by_text("Singing <script>", exact=False).first).to_be_visible()
    check_accessibility()


def test_the_forms_work_without_javascript(browser, live_server, person, connector):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, connector)
    page.goto(live_server.url + reverse("people:consents", args=[person.place.code, person.pk]))
    page.get_by_label("Contact for research").check()
    page.get_by_role("button", name="Record consent").click()
    assert Person.objects.get().consents.filter(purpose="research").exists()
    context.close()
