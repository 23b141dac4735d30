"""Directory pages: search and browse, an offer with its map, and organisations' proposals checked by an administrator."""

import pytest
from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.audit.models import AuditEvent
from commonweal.directory.models import OfferChange, Service
from commonweal.directory.services import approve_offer_change, propose_offer_change

HOSTILE_TAG = "<script>alert('pwned')</script>"


def search_url(place, **params):
    return reverse("directory:search", args=[place.code]), params


def test_the_public_searches_in_plain_words_and_sees_why_each_offer_was_found(client, small_directory):
    url, params = search_url(small_directory, q="I feel lonely since my husband died")
    response = client.get(url, params)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Telephone Befriending for Older People" in text
    assert "Why it was found" in text
    assert "You said" in text


def test_browsing_lists_active_offers_with_a_fixed_number_of_queries(
    client, small_directory, django_assert_num_queries
):
    url, _params = search_url(small_directory)
    with django_assert_num_queries(7):
        response = client.get(url)
    text = response.content.decode()
    assert "Friendship Calls (Covid response)" not in text  # inactive: not shown to the public
    assert response.context["page"].paginator.count == Service.objects.filter(status="active").count()


def test_staff_browse_inactive_offers_too(client, small_directory, connector):
    client.force_login(connector)
    response = client.get(reverse("directory:search", args=[small_directory.code]), {"page": 1})
    assert response.context["page"].paginator.count == Service.objects.count()


def test_browsing_by_category_finds_offers_filed_under_its_children(client, small_directory):
    url, _ = search_url(small_directory)
    response = client.get(url, {"category": "health-social-care-services"})
    names = {s.name for s in response.context["page"]}
    assert "Telephone Befriending for Older People" in names  # Befriending < Support Network < Health & Social Care


def test_a_bad_postcode_is_an_error_message_not_a_crash(client, small_directory):
    url, _ = search_url(small_directory)
    response = client.get(url, {"q": "walking", "postcode": "XYZ 123"})
    assert response.status_code == 200
    assert "Enter a postcode like WN1 1AA" in response.content.decode()


def test_an_unknown_place_has_no_directory(client, db):
    assert client.get(reverse("directory:search", args=["E99999999"])).status_code == 404


def test_an_offer_page_shows_details_places_and_a_map(client, small_directory, sample_json):
    service = Service.objects.filter(service_at_locations__location__location_type="physical").first()
    response = client.get(service.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert service.name in text
    assert "data-cw-map" in text
    assert "Where the offer runs" in text
    geojson = client.get(reverse("directory:offer_geojson", args=[small_directory.code, service.pk])).json()
    venue = next(f for f in geojson["features"] if f["geometry"]["type"] == "Point")
    location = service.service_at_locations.first().location
    assert venue["properties"]["tooltip"].startswith(location.name)  # a venue, not an IMD decile
    assert "IMD" not in venue["properties"]["tooltip"]


def test_an_administrator_closes_and_reopens_an_offer_from_its_page(client, small_directory, administrator):
    service = Service.objects.filter(status="active").first()
    client.force_login(administrator)
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Close this offer" in page
    url = reverse("directory:offer_status", args=[small_directory.code, service.pk])
    response = client.post(url, {"status": "inactive"})
    assert response.status_code == 302
    assert response["Location"] == service.get_absolute_url()
    service.refresh_from_db()
    assert service.status == "inactive"
    assert AuditEvent.objects.filter(purpose="offer status set to inactive").exists()
    assert "Reopen this offer" in client.get(service.get_absolute_url()).content.decode()
    client.post(url, {"status": "active"})
    service.refresh_from_db()
    assert service.status == "active"


@pytest.mark.parametrize("who", ["connector", "outsider"])
def test_only_an_administrator_may_close_an_offer(client, small_directory, request, who):
    service = Service.objects.filter(status="active").first()
    client.force_login(request.getfixturevalue(who))
    assert "Close this offer" not in client.get(service.get_absolute_url()).content.decode()
    url = reverse("directory:offer_status", args=[small_directory.code, service.pk])
    assert client.post(url, {"status": "inactive"}).status_code == 403  # the offer is public: read-only
    assert client.get(url).status_code == 405
    service.refresh_from_db()
    assert service.status == "active"


def test_an_administrator_of_another_place_cannot_close_this_places_offer(
    client, small_directory, other_place_administrator
):
    service = Service.objects.filter(status="active").first()
    client.force_login(other_place_administrator)
    url = reverse("directory:offer_status", args=[small_directory.code, service.pk])
    assert client.post(url, {"status": "inactive"}).status_code == 403
    service.refresh_from_db()
    assert service.status == "active"


def test_an_offer_of_another_place_is_not_found_under_this_place(client, small_directory, other_place):
    service = Service.objects.first()
    assert client.get(reverse("directory:offer", args=[other_place.code, service.pk])).status_code == 404


@pytest.fixture
def offer_data(organisations):
    return {
        "organisation": organisations["vcse"].pk,
        "name": f"Lunch club {HOSTILE_TAG} Caffi Siân 🌈",
        "description": "Hot meals and company every week.",
        "eligibility_description": "Over 60s",
        "minimum_age": "60",
        "when": "Tuesdays 12 to 2",
        "cost": "Free",
        "category": "",
    }


def test_a_provider_proposes_an_offer_and_it_waits_for_a_check(client, place, provider, offer_data):
    client.force_login(provider)
    response = client.post(reverse("directory:propose", args=[place.code]), offer_data)
    change = OfferChange.objects.get()
    assert response.status_code == 302
    assert response.url == change.get_absolute_url()
    assert change.is_pending
    assert change.proposed["minimum_age"] == 60
    assert not Service.objects.filter(name__startswith="Lunch club <script>").exists()
    page = client.get(change.get_absolute_url()).content.decode()
    assert HOSTILE_TAG not in page
    assert "Caffi Siân 🌈" in page
    assert "Approve" not in page  # the provider reads; only an administrator decides


def test_a_provider_cannot_propose_for_another_organisation(client, place, provider, offer_data, organisations):
    client.force_login(provider)
    offer_data["organisation"] = organisations["council"].pk
    response = client.post(reverse("directory:propose", args=[place.code]), offer_data)
    assert response.status_code == 200
    assert not OfferChange.objects.exists()


@pytest.mark.parametrize("persona", ["resident", "connector", "outsider", "other_place_administrator"])
def test_people_without_an_organisation_here_cannot_propose_offers(client, place, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("directory:propose", args=[place.code])).status_code == 404


def test_proposing_needs_a_sign_in(client, place):
    response = client.get(reverse("directory:propose", args=[place.code]))
    assert response.status_code == 302
    assert "sign-in" in response.url


def test_an_administrator_approves_a_new_offer_and_it_shows(client, place, provider, administrator, offer_data):
    client.force_login(provider)
    client.post(
        reverse("directory:propose", args=[place.code]),
        {**offer_data, "venue": "Hall", "address_1": "1 Road", "town": "Wigan", "postcode": "wn1 1aa"},
    )
    change = OfferChange.objects.get()
    client.force_login(administrator)
    assert "Approve" in client.get(change.get_absolute_url()).content.decode()
    response = client.post(change.get_absolute_url(), {"decision": "approved", "note": "Looks good"})
    service = Service.objects.get()
    assert response.url == service.get_absolute_url()
    assert service.minimum_age == 60
    assert service.schedules.get().description == "Tuesdays 12 to 2"
    assert service.costoptions.get().is_free
    assert service.service_at_locations.get().location.addresses.get().postal_code == "WN1 1AA"
    assert service.organisation.directory_listing.oruk_id
    assert "Lunch" in service.search_text or "meals" in service.search_text
    assert AuditEvent.objects.filter(object_type="directory.service", action="created").exists()
    page = client.get(service.get_absolute_url()).content.decode()
    assert HOSTILE_TAG not in page
    assert "&lt;script&gt;" in page


def test_a_provider_cannot_decide_its_own_proposal(client, place, provider, offer_data):
    client.force_login(provider)
    client.post(reverse("directory:propose", args=[place.code]), offer_data)
    change = OfferChange.objects.get()
    assert client.post(change.get_absolute_url(), {"decision": "approved"}).status_code == 403
    change.refresh_from_db()
    assert change.is_pending


def test_other_people_cannot_see_a_proposal(client, place, provider, offer_data, connector, other_place_administrator):
    client.force_login(provider)
    client.post(reverse("directory:propose", args=[place.code]), offer_data)
    change = OfferChange.objects.get()
    for user in (connector, other_place_administrator):
        client.force_login(user)
        assert client.get(change.get_absolute_url()).status_code == 404
        assert client.post(change.get_absolute_url(), {"decision": "approved"}).status_code == 404


def test_a_change_to_an_offer_updates_it_only_when_approved(
    client, small_directory, organisations, administrator, sample_json
):
    service = Service.objects.get(oruk_id=sample_json["services"][0]["id"])
    change = propose_offer_change(
        small_directory, service.organisation, {"name": "Renamed", "description": "New words"}, by=None, service=service
    )
    service.refresh_from_db()
    assert service.name != "Renamed"
    approve_offer_change(change, by=administrator)
    service.refresh_from_db()
    assert (service.name, service.description, service.oruk_id) == (
        "Renamed",
        "New words",
        sample_json["services"][0]["id"],
    )


def test_a_provider_may_suggest_changes_to_its_own_offers_only(
    client, small_directory, provider, organisations, sample_json
):
    own = Service.objects.get(oruk_id=sample_json["services"][0]["id"])
    Service.objects.filter(pk=own.pk).update(organisation=organisations["vcse"])
    other = Service.objects.exclude(organisation=organisations["vcse"]).first()
    client.force_login(provider)
    assert client.get(reverse("directory:propose_change", args=[small_directory.code, own.pk])).status_code == 200
    assert client.get(reverse("directory:propose_change", args=[small_directory.code, other.pk])).status_code == 403
    assert "Suggest a change" not in client.get(other.get_absolute_url()).content.decode()


def test_a_decided_proposal_cannot_be_decided_again(client, place, provider, administrator, offer_data):
    client.force_login(provider)
    client.post(reverse("directory:propose", args=[place.code]), offer_data)
    change = OfferChange.objects.get()
    client.force_login(administrator)
    client.post(change.get_absolute_url(), {"decision": "rejected", "note": "Add a venue"})
    client.post(change.get_absolute_url(), {"decision": "approved"})
    change.refresh_from_db()
    assert change.status == "rejected"
    assert not Service.objects.exists()


def test_the_list_of_proposals_is_for_reviewers_and_the_proposing_organisation(
    client, place, provider, administrator, connector, offer_data, django_assert_max_num_queries
):
    other = create_organisation("Other org", Organisation.Kind.VCSE, place=place, by=None)
    propose_offer_change(place, other, {"name": "Someone else's", "description": "x"}, by=None)
    client.force_login(provider)
    client.post(reverse("directory:propose", args=[place.code]), offer_data)
    url = reverse("directory:changes", args=[place.code])
    assert [str(c) for c in client.get(url).context["page"]] == [offer_data["name"]]
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        assert len(client.get(url).context["page"]) == 2
    client.force_login(connector)
    assert client.get(url).status_code == 404
