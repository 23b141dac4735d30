"""Who sees what: every page and export, each rule tested both ways, and every read in the audit trail."""

import json

import pytest
from django.urls import reverse

from commonweal.audit.models import AuditEvent
from commonweal.people import services
from commonweal.people.models import Status

HOSTILE_TAG = "<script>alert('pwned')</script>"
NOBODY = [
    "other_team_connector",
    "provider",
    "analyst",
    "commissioner",
    "outsider",
    "resident",
    "other_place_connector",
    "other_place_administrator",
]
WORKERS = ["connector", "team_lead"]


def _url(name, person, **extra):
    return reverse(f"people:{name}", kwargs={"place_code": person.place.code, "pk": person.pk, **extra})


@pytest.fixture
def pages(person, referral, connector, ons4):
    conversation = services.record_conversation(
        person, by=connector, held_on=referral.referred_on, setting="home", what_matters="Walking"
    )
    return {
        "person": _url("person", person),
        "person_edit": _url("person_edit", person),
        "consents": _url("consents", person),
        "conversation_new": _url("conversation_new", person),
        "conversation": _url("conversation", person, conversation=conversation.pk),
        "plan": _url("plan", person),
        "connections": _url("connections", person),
        "connection": _url("connection", person, connection=referral.pk),
        "wellbeing_new": _url("wellbeing_new", person),
        "export": _url("export", person),
        "export_json": _url("export_json", person),
        "gp_record_json": _url("gp_record_json", person),
        "gp_record_csv": _url("gp_record_csv", person),
    }


PERSON_PAGES = [
    "person",
    "person_edit",
    "consents",
    "conversation_new",
    "conversation",
    "plan",
    "connections",
    "connection",
    "wellbeing_new",
    "export",
    "export_json",
    "gp_record_json",
    "gp_record_csv",
]
# What the person themselves may read (their record is theirs), and what they may not change (403).
RESIDENT_READS = {"consents", "conversation", "plan", "connections", "connection", "export", "export_json"}
RESIDENT_403 = {"person_edit", "conversation_new", "wellbeing_new", "gp_record_json", "gp_record_csv"}


@pytest.mark.parametrize("page", PERSON_PAGES)
@pytest.mark.parametrize("persona", WORKERS)
def test_the_teams_workers_open_every_page_of_a_person_and_each_read_is_audited(
    client, pages, person, page, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    before = AuditEvent.objects.filter(actor=user, object_id=str(person.pk), object_type="people.person").count()
    response = client.get(pages[page])
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert HOSTILE_TAG not in response.content.decode()
    after = AuditEvent.objects.filter(actor=user, object_id=str(person.pk), object_type="people.person")
    assert after.count() > before
    assert all(e.object_repr == f"person {person.pk}" and e.purpose for e in after)


@pytest.mark.parametrize("page", PERSON_PAGES)
@pytest.mark.parametrize("persona", NOBODY)
def test_nobody_else_can_open_any_page_of_a_person(client, pages, person, page, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(pages[page]).status_code == 404
    assert not AuditEvent.objects.filter(actor=user, object_id=str(person.pk), action="viewed").exists()


@pytest.mark.parametrize("page", PERSON_PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, pages, page):
    response = client.get(pages[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("page", sorted(RESIDENT_READS))
def test_the_person_reads_their_own_record(client, pages, linked_person, resident, page):
    client.force_login(resident)
    assert client.get(pages[page]).status_code == 200
    assert AuditEvent.objects.filter(actor=resident, object_id=str(linked_person.pk)).exists()


@pytest.mark.parametrize("page", sorted(RESIDENT_403))
def test_the_person_cannot_change_their_record_through_workers_pages(client, pages, linked_person, resident, page):
    client.force_login(resident)
    assert client.get(pages[page]).status_code == 403


def test_the_person_opening_the_workers_timeline_is_sent_to_their_own_record(client, pages, linked_person, resident):
    client.force_login(resident)
    response = client.get(pages["person"])
    assert response.status_code == 302
    assert response.url == reverse("people:my_record")


def test_the_person_cannot_withdraw_or_add_consent_through_the_workers_page(client, pages, linked_person, resident):
    client.force_login(resident)
    assert client.post(pages["consents"], {"purpose": "research"}).status_code == 403
    consent = linked_person.consents.get(purpose="support")
    url = _url("consent_withdraw", linked_person, consent=consent.pk)
    assert client.post(url).status_code == 403


def test_the_person_sees_and_downloads_their_own_record(client, linked_person, resident):
    client.force_login(resident)
    response = client.get(reverse("people:my_record"))
    text = response.content.decode()
    assert "Mair &lt;script&gt;" in text
    assert HOSTILE_TAG not in text
    download = client.get(reverse("people:my_record_download"))
    assert download.status_code == 200
    data = json.loads(download.content)
    assert data["person"]["nhs_number"] == "9434765919"
    assert AuditEvent.objects.filter(actor=resident, action="exported", purpose="subject access request").exists()
    assert AuditEvent.objects.filter(actor=resident, action="viewed", purpose="their own record").exists()


def test_another_resident_has_no_record_to_see_or_download(client, linked_person, other_team_connector, place):
    from commonweal.accounts.services import create_user

    stranger = create_user("stranger@example.test", "Stranger", by=None)
    client.force_login(stranger)
    assert "Mair" not in client.get(reverse("people:my_record")).content.decode()
    assert client.get(reverse("people:my_record_download")).status_code == 404


# --- Place-level pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["caseload", "person_new"])
@pytest.mark.parametrize("persona", WORKERS)
def test_workers_open_the_caseload_and_add_people(client, place, name, persona, request, person):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(f"people:{name}", args=[place.code])).status_code == 200


@pytest.mark.parametrize("name", ["caseload", "person_new"])
@pytest.mark.parametrize(
    "persona", ["provider", "analyst", "commissioner", "administrator", "outsider", "resident", "other_place_connector"]
)
def test_nobody_else_has_a_caseload(client, place, name, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(f"people:{name}", args=[place.code])).status_code == 404


def test_a_connector_sees_only_their_teams_caseload(client, place, person, other_person, connector):
    client.force_login(connector)
    text = client.get(reverse("people:caseload", args=[place.code]), {"show": "all"}).content.decode()
    assert "Mair &lt;script&gt;" in text
    assert "Bob Other" not in text
    assert HOSTILE_TAG not in text
    event = AuditEvent.objects.filter(actor=connector, purpose="caseload").get()
    assert event.detail == {"people": [person.pk]}


def test_a_connector_of_another_team_sees_their_own_caseload_only(
    client, place, person, other_person, other_team_connector
):
    client.force_login(other_team_connector)
    text = client.get(reverse("people:caseload", args=[place.code]), {"show": "all"}).content.decode()
    assert "Bob Other" in text
    assert "Mair" not in text


def test_the_provider_sees_and_answers_referrals_made_to_its_offers(client, place, referral, provider):
    client.force_login(provider)
    inbox = client.get(reverse("people:inbox", args=[place.code]))
    assert inbox.status_code == 200
    assert "Mair &lt;script&gt;" in inbox.content.decode()
    response = client.get(referral.get_inbox_url())
    assert response.status_code == 200
    assert HOSTILE_TAG not in response.content.decode()
    assert AuditEvent.objects.filter(actor=provider, object_id=str(referral.person_id), action="viewed").exists()
    response = client.post(
        referral.get_inbox_url(),
        {"version": referral.version, "status": "accepted", "on": referral.referred_on.isoformat(), "note": "Welcome"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


@pytest.mark.parametrize(
    "persona",
    [
        "connector",
        "team_lead",
        "analyst",
        "commissioner",
        "administrator",
        "resident",
        "outsider",
        "other_place_connector",
    ],
)
def test_nobody_but_the_provider_has_its_inbox(client, place, referral, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("people:inbox", args=[place.code])).status_code == 404
    assert client.get(referral.get_inbox_url()).status_code == 404


def test_another_provider_cannot_see_a_referral(client, place, referral, organisations):
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation, create_user, grant_role

    other = create_organisation("Other charity", Organisation.Kind.VCSE, place=place, by=None)
    user = create_user("other-provider@example.test", "Other provider", by=None)
    grant_role(user, "provider", place=place, by=None, organisation=other)
    client.force_login(user)
    assert client.get(referral.get_inbox_url()).status_code == 404
    assert "Mair" not in client.get(reverse("people:inbox", args=[place.code])).content.decode()


def test_a_suggestion_not_yet_referred_is_not_shared_with_the_provider(
    client, person, service, sharing_consent, connector, provider
):
    suggestion = services.suggest_connection(person, by=connector, kind="offer", service=service)
    client.force_login(provider)
    assert client.get(suggestion.get_inbox_url()).status_code == 404


def test_after_consent_to_share_is_withdrawn_the_provider_sees_nothing(
    client, place, referral, sharing_consent, connector, provider
):
    services.withdraw_consent(sharing_consent, by=connector)
    client.force_login(provider)
    assert client.get(referral.get_inbox_url()).status_code == 404
    assert "Mair" not in client.get(reverse("people:inbox", args=[place.code]), {"show": "all"}).content.decode()


@pytest.mark.parametrize("persona", ["team_lead", "administrator"])
def test_a_team_lead_or_administrator_can_erase_a_record(client, person, persona, request):
    client.force_login(request.getfixturevalue(persona))
    url = _url("erase", person)
    assert client.get(url).status_code == 200
    response = client.post(url, {"requested_on": "2025-01-02", "confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_erased
    assert client.get(_url("person", person)).status_code == 404


@pytest.mark.parametrize("persona", ["connector"])
def test_a_connector_cannot_erase_a_record(client, person, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("erase", person)).status_code == 403


@pytest.mark.parametrize(
    "persona", ["other_team_connector", "provider", "analyst", "outsider", "other_place_administrator"]
)
def test_nobody_else_can_even_see_the_erasure_page(client, person, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("erase", person)).status_code == 404


@pytest.mark.parametrize("persona", ["connector", "team_lead", "analyst", "commissioner", "provider", "administrator"])
def test_staff_of_the_place_see_wellbeing_aggregates(client, place, persona, request, ons4):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("people:place_wellbeing", args=[place.code])).status_code == 200


@pytest.mark.parametrize("persona", ["resident", "outsider", "other_place_connector", "other_place_administrator"])
def test_residents_and_other_places_do_not_see_wellbeing_aggregates(client, place, persona, request, ons4):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("people:place_wellbeing", args=[place.code])).status_code == 404


def test_an_analyst_never_sees_an_identifiable_record(client, place, person, referral, analyst, ons4):
    client.force_login(analyst)
    for url in [person.get_absolute_url(), _url("export_json", person), reverse("people:caseload", args=[place.code])]:
        assert client.get(url).status_code == 404
    text = client.get(reverse("people:place_wellbeing", args=[place.code])).content.decode()
    assert "Mair" not in text
