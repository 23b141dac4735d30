"""The Deal's pages: who sees what (404 no access, 403 read-only), forms that keep what was typed, escaping."""

from datetime import date

import pytest
from django.urls import reverse

from commonweal.audit.models import AuditEvent
from commonweal.deal import services, timebank
from commonweal.deal.models import Contribution, Exchange, Pledge, ValuationRate

from .conftest import DAY, HOSTILE

TAG = "<script>alert('pwned')</script>"


def url(name, place, *args):
    return reverse(f"deal:{name}", args=[place.code, *args])


@pytest.fixture
def pledges(place, organisations, resident, business):
    council = [
        services.make_pledge(
            place, by=None, organisation=organisations["council"], title=f"Keep council tax low {TAG}", number=1
        )
    ]
    mine = services.make_pledge(place, by=resident, user=resident, title=f"Recycle more {TAG}")
    named = services.make_pledge(place, by=None, organisation=business, title="Hire locally")
    return council, mine, named


def text_of(response):
    text = response.content.decode()
    assert TAG not in text
    return text


def test_the_public_deal_page_shows_both_sides_escaped_and_hides_residents_names(client, place, pledges, resident):
    response = client.get(url("deal", place))
    assert response.status_code == 200
    text = text_of(response)
    assert "Keep council tax low &lt;script&gt;" in text
    assert "Recycle more" in text
    assert "A resident" in text
    assert "Resident &lt;script&gt;" not in text  # the resident did not choose to show their name


def test_the_deal_page_takes_a_bounded_number_of_queries(
    client, place, organisations, resident, django_assert_max_num_queries
):
    for i in range(30):
        services.make_pledge(place, by=None, organisation=organisations["vcse"], title=f"Pledge {i}")
        services.record_contribution(
            place, by=None, kind="time", minutes=60, given_on=date.today(), contributor_user=resident
        )
    with django_assert_max_num_queries(8):
        assert client.get(url("deal", place)).status_code == 200


def test_a_resident_makes_a_pledge_and_sees_it_in_my_part(client, place, resident):
    client.force_login(resident)
    response = client.post(
        url("pledge_new", place), {"on_behalf": "me", "title": f"Walk to school {TAG}", "scope": "place"}
    )
    pledge = Pledge.objects.get(title__startswith="Walk to school")
    assert response.status_code == 302
    assert response.url == pledge.get_absolute_url()
    assert pledge.user == resident
    assert pledge.sector == "residents"
    assert "Walk to school &lt;script&gt;" in text_of(client.get(url("my_part", place)))


def test_a_provider_pledges_for_their_organisation_but_not_for_another(client, place, provider, organisations):
    client.force_login(provider)
    vcse, council = organisations["vcse"], organisations["council"]
    client.post(url("pledge_new", place), {"on_behalf": str(vcse.pk), "title": "Open on Sundays", "scope": "place"})
    assert Pledge.objects.get(title="Open on Sundays").organisation == vcse
    response = client.post(url("pledge_new", place), {"on_behalf": str(council.pk), "title": "Fake", "scope": "place"})
    assert response.status_code == 200
    assert not Pledge.objects.filter(title="Fake").exists()


def test_a_pledge_form_with_errors_keeps_what_was_typed(client, place, resident):
    client.force_login(resident)
    response = client.post(url("pledge_new", place), {"on_behalf": "me", "title": f"Typed {TAG}", "scope": "district"})
    text = text_of(response)
    assert "Typed &lt;script&gt;" in text
    assert "Choose the district" in text
    assert not Pledge.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_place_administrator"])
def test_people_with_no_role_here_cannot_make_pledges_or_see_my_part(client, place, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("pledge_new", place)).status_code == 404
    assert client.get(url("my_part", place)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in_for_my_part(client, place):
    response = client.get(url("my_part", place))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_only_the_party_updates_a_pledge(client, place, pledges, resident, connector):
    _, mine, _ = pledges
    client.force_login(connector)
    assert client.post(url("pledge_update", place, mine.pk), {"text": "x", "status": "kept"}).status_code == 403
    client.force_login(resident)
    response = client.post(url("pledge_update", place, mine.pk), {"text": f"Done {TAG}", "status": "kept"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "kept"
    assert "Done &lt;script&gt;" in text_of(client.get(mine.get_absolute_url()))


def test_a_private_pledge_is_hidden_from_others(client, place, resident, connector):
    private = services.make_pledge(place, by=resident, user=resident, title="Quiet", is_public=False)
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(connector)
    assert client.get(private.get_absolute_url()).status_code == 404
    client.force_login(resident)
    assert client.get(private.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["commissioner", "analyst", "administrator"])
def test_commissioners_analysts_and_administrators_read_the_ledger(client, place, persona, request, give, resident):
    give("time", contributor_user=resident, minutes=60, given_on=date.today(), description=f"Litter pick {TAG}")
    client.force_login(request.getfixturevalue(persona))
    text = text_of(client.get(url("ledger", place)))
    assert "A resident" in text
    assert "Resident &lt;script&gt;" not in text


@pytest.mark.parametrize("persona", ["resident", "connector", "provider", "outsider", "other_place_administrator"])
def test_others_cannot_see_the_ledger(client, place, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for name in ("ledger", "ledger_csv", "contribution_new", "import", "rates"):
        assert client.get(url(name, place)).status_code == 404, name


def test_the_ledger_list_takes_a_bounded_number_of_queries(client, place, commissioner, give, business, hoods):
    for i in range(60):
        give(
            "money",
            contributor_organisation=business,
            amount_pence=100 + i,
            given_on=date.today(),
            neighbourhood=hoods["E01006213"],
        )
    client.force_login(commissioner)
    client.get(url("ledger", place))  # warm the role cache path
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("ledger", place))
    assert response.status_code == 200
    assert len(queries) <= 14


def test_the_ledger_filters_by_sector(client, place, commissioner, give, business, resident):
    give("money", contributor_organisation=business, amount_pence=4242, given_on=date.today())
    give("time", contributor_user=resident, minutes=120, given_on=date.today())
    client.force_login(commissioner)
    response = client.get(url("ledger", place), {"sector": "private"})
    rows = list(response.context["page"])
    assert [c.sector for c in rows] == ["private"]
    assert response.context["summary"].by_sector["private"].value_pence == 4242


def test_an_analyst_reads_but_cannot_record_import_or_void(client, place, analyst, give, resident):
    given = give("time", contributor_user=resident, minutes=60)
    client.force_login(analyst)
    assert client.get(url("contribution_new", place)).status_code == 403
    assert client.post(url("import", place), {}).status_code == 403
    assert client.post(url("contribution", place, given.pk), {"reason": "x"}).status_code == 403
    assert client.get(url("contribution", place, given.pk)).status_code == 200


def test_a_commissioner_records_money_and_a_wrong_currency_is_refused_keeping_the_input(
    client, place, commissioner, business
):
    client.force_login(commissioner)
    data = {
        "kind": "money",
        "given_on": "2024-05-01",
        "contributor_organisation": business.pk,
        "amount": "1250.50",
        "currency": "EUR",
        "description": f"Sponsorship {TAG}",
    }
    response = client.post(url("contribution_new", place), data)
    text = text_of(response)
    assert "not EUR" in text
    assert "Sponsorship &lt;script&gt;" in text
    assert 'value="1250.50"' in text
    response = client.post(url("contribution_new", place), {**data, "currency": "GBP"})
    contribution = Contribution.objects.get()
    assert response.url == contribution.get_absolute_url()
    assert contribution.value_pence == 125_050


def test_a_commissioner_voids_a_contribution(client, place, commissioner, give, business):
    given = give("money", contributor_organisation=business, amount_pence=1000)
    client.force_login(commissioner)
    client.post(url("contribution", place, given.pk), {"reason": "Duplicate"})
    given.refresh_from_db()
    assert given.voided_at is not None


def test_another_places_contribution_is_not_found(client, place, other_place, commissioner, resident):
    elsewhere = services.record_contribution(
        other_place, by=None, kind="time", minutes=60, given_on=DAY, sector="residents"
    )
    client.force_login(commissioner)
    assert client.get(url("contribution", place, elsewhere.pk)).status_code == 404


def test_the_csv_export_is_audited_hides_residents_and_defuses_formulas(
    client, place, commissioner, give, resident, business
):
    give("time", contributor_user=resident, minutes=60, given_on=date.today())
    give(
        "money", contributor_organisation=business, amount_pence=500, given_on=date.today(), description="=HYPERLINK(1)"
    )
    client.force_login(commissioner)
    response = client.get(url("ledger_csv", place))
    body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert body.splitlines()[0].startswith("reference,date,sector,kind,contributor")
    assert "A resident" in body
    assert "Resident" not in body.replace("A resident", "")
    assert "'=HYPERLINK(1)" in body
    assert AuditEvent.objects.filter(action="exported", actor=commissioner).exists()


def test_an_import_through_the_page_reports_each_bad_row(client, place, commissioner, business):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_text = (
        "reference,date,kind,contributor,amount,currency,hours,sector\n"
        f"A1,2024-05-01,money,{business.identifier},100.00,GBP,,\n"
        "A2,2024-05-01,money,,-5,GBP,,residents\n"
        "A3,2024-05-01,money,,5,USD,,residents\n"
    )
    client.force_login(commissioner)
    upload = SimpleUploadedFile("gifts.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(url("import", place), {"kind": "contributions", "file": upload})
    text = text_of(response)
    assert "1 new, 0 updated, 0 unchanged, 2 rejected" in text
    assert "negative" in text
    assert "not USD" in text


def test_an_administrator_sets_a_rate_and_a_commissioner_only_reads_it(client, place, administrator, commissioner):
    client.force_login(commissioner)
    assert "£27.11" in client.get(url("rates", place)).content.decode()
    data = {
        "pounds_per_hour": "12.60",
        "basis": "living_wage",
        "source": f"Living Wage {TAG}",
        "price_year": "2025",
        "valid_from": "2025-04-01",
    }
    assert client.post(url("rates", place), data).status_code == 403
    client.force_login(administrator)
    assert client.post(url("rates", place), data).status_code == 302
    assert ValuationRate.objects.get().pence_per_hour == 1260
    text_of(client.get(url("rates", place)))


def test_the_time_bank_page_is_public_and_suppresses_small_numbers(client, place, resident, commissioner):
    a = timebank.join_time_bank(place, by=None, user=resident)
    b = timebank.join_time_bank(place, by=None, user=commissioner)
    timebank.confirm_exchange(
        timebank.propose_exchange(
            by=None, proposer=a, provider=a, recipient=b, minutes=90, description="x", occurred_on=date.today()
        ),
        by=None,
        member=b,
    )
    text = client.get(url("time_bank", place)).content.decode()
    # One exchange between two members: neither the count nor their hours are shown.
    assert "1.5" not in text
    assert text.count("fewer than 10") >= 2
    assert "withheld" in text


def test_a_resident_joins_lists_and_records_an_exchange_the_other_confirms(
    client, place, resident, commissioner, hoods
):
    client.force_login(commissioner)
    client.post(url("time_bank_join", place), {})
    client.post(url("listings", place), {"kind": "request", "title": f"Help with my garden {TAG}"})
    client.force_login(resident)
    client.post(url("time_bank_join", place), {"neighbourhood": hoods["E01006213"].pk})
    listing_text = text_of(client.get(url("listings", place)))
    assert "Help with my garden &lt;script&gt;" in listing_text
    listing = commissioner.time_bank_members.get().listings.get()
    response = client.post(
        url("exchange_new", place, listing.pk),
        {"hours": "2", "occurred_on": "2024-06-01", "description": "Dug the beds"},
    )
    exchange = Exchange.objects.get()
    assert response.url == exchange.get_absolute_url()
    assert exchange.provider.user == resident
    client.force_login(commissioner)
    client.post(reverse("deal:exchange_answer", args=[place.code, exchange.pk]), {"answer": "confirm"})
    exchange.refresh_from_db()
    assert exchange.status == "completed"
    client.force_login(resident)
    text = client.get(url("my_part", place)).content.decode()
    assert "Hours given" in text


def test_a_third_member_cannot_see_or_answer_an_exchange(client, place, resident, commissioner, connector):
    a = timebank.join_time_bank(place, by=None, user=resident)
    b = timebank.join_time_bank(place, by=None, user=commissioner)
    timebank.join_time_bank(place, by=None, user=connector)
    proposed = timebank.propose_exchange(
        by=None, proposer=a, provider=a, recipient=b, minutes=30, description="x", occurred_on=DAY
    )
    client.force_login(connector)
    assert client.get(proposed.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("deal:exchange_answer", args=[place.code, proposed.pk]), {"answer": "confirm"}).status_code
        == 404
    )


def test_someone_in_the_place_who_has_not_joined_cannot_list_or_exchange(client, place, connector, resident):
    member = timebank.join_time_bank(place, by=None, user=resident)
    listing = timebank.add_listing(member, by=None, kind="offer", title="Ironing")
    client.force_login(connector)
    assert client.get(url("listings", place)).status_code == 200
    assert client.post(url("listings", place), {"kind": "offer", "title": "x"}).status_code == 403
    assert client.get(url("exchange_new", place, listing.pk)).status_code == 403


def test_hostile_names_are_escaped_on_every_public_page(client, place, pledges):
    for name in ("deal", "time_bank"):
        assert HOSTILE not in client.get(url(name, place)).content.decode()


def test_the_ledger_pages_through_every_contribution_by_cursor_once_each(client, place, commissioner, give, business):
    days = [date.today().replace(day=1)] * 30 + [date.today()] * 95  # many on one day: the id breaks ties
    given = {
        give("money", contributor_organisation=business, amount_pence=100 + i, given_on=d).pk
        for i, d in enumerate(days)
    }
    client.force_login(commissioner)
    seen, pages, params = [], [], {}
    while True:
        response = client.get(url("ledger", place), params)
        page = response.context["page"]
        pages.append(page)
        seen += [c.pk for c in page]
        if not page.older:
            break
        params = {"older": page.older}
    assert [len(p) for p in pages] == [50, 50, 25]
    assert len(seen) == len(set(seen))
    assert set(seen) == given
    assert pages[0].newer is None
    back = client.get(url("ledger", place), {"newer": pages[2].newer}).context["page"]
    assert [c.pk for c in back] == [c.pk for c in pages[1]]
    assert "older=" in text_of(client.get(url("ledger", place)))


@pytest.mark.parametrize("cursor", ["", "junk", "2024-13-01.5", "2024-01-01.x", "<script>.1"])
def test_a_tampered_cursor_shows_the_newest_page(client, place, commissioner, give, business, cursor):
    give("money", contributor_organisation=business, amount_pence=100, given_on=date.today())
    client.force_login(commissioner)
    for key in ("older", "newer"):
        response = client.get(url("ledger", place), {key: cursor})
        assert response.status_code == 200
        assert len(response.context["page"]) == 1


def test_the_ledger_makes_the_same_number_of_queries_whatever_its_size(client, place, commissioner, give, business):
    client.force_login(commissioner)
    client.get(url("ledger", place))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        for i in range(60):
            give("money", contributor_organisation=business, amount_pence=100 + i, given_on=date.today())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("ledger", place), {"sector": "private"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10


def test_a_ledger_period_must_run_forwards_and_not_too_long(client, place, commissioner):
    client.force_login(commissioner)
    for params in ({"start": "2030-01-01"}, {"start": "0001-01-01", "end": "2025-01-01"}):
        response = client.get(url("ledger", place), params)
        assert response.status_code == 200
        assert response.context["form"].errors
        assert len(response.context["months"]) == 12  # the default year instead


def _policy(place, **hours):
    return {"floor_hours": "-5", "ceiling_hours": "50", "max_exchange_hours": "4", **hours}


def test_an_administrator_sets_the_time_bank_limits_for_new_members(client, place, administrator, resident):
    client.force_login(administrator)
    assert client.get(url("time_bank_policy", place)).context["form"] is not None
    response = client.post(url("time_bank_policy", place), _policy(place))
    assert response.status_code == 302
    policy = timebank.current_policy(place)
    assert (policy.floor_minutes, policy.ceiling_minutes, policy.max_exchange_minutes) == (-300, 3000, 240)
    event = AuditEvent.objects.get(action="updated", actor=administrator, place=place)
    assert event.detail["after"]["max_exchange_minutes"] == 240
    member = timebank.join_time_bank(place, by=None, user=resident)
    assert (member.floor_minutes, member.ceiling_minutes) == (-300, 3000)
    assert "-5 hours" in client.get(url("time_bank_policy", place)).content.decode()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"floor_hours": "2"}, "less than or equal to 0"),
        ({"ceiling_hours": "0"}, "greater than or equal to"),
        ({"max_exchange_hours": "60"}, "fits between the lowest and highest balance"),
    ],
)
def test_time_bank_limits_that_make_no_sense_are_refused_keeping_the_input(
    client, place, administrator, hours, message
):
    client.force_login(administrator)
    response = client.post(url("time_bank_policy", place), _policy(place, **hours))
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert f'value="{next(iter(hours.values()))}"' in text
    assert timebank.current_policy(place).pk is None  # nothing saved: still the defaults


@pytest.mark.parametrize("persona", ["resident", "commissioner", "analyst", "connector"])
def test_others_in_the_place_read_the_time_bank_limits_but_cannot_change_them(client, place, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url("time_bank_policy", place))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "10 hours" in response.content.decode()  # the default longest exchange
    assert client.post(url("time_bank_policy", place), _policy(place)).status_code == 403
    assert timebank.current_policy(place).pk is None
    assert not AuditEvent.objects.filter(action="updated").exists()


@pytest.mark.parametrize("persona", ["outsider", "other_place_administrator"])
def test_people_with_no_role_here_cannot_see_the_time_bank_limits(client, place, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url("time_bank_policy", place)).status_code == 404
    assert client.post(url("time_bank_policy", place), _policy(place)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in_for_the_time_bank_limits(client, place):
    response = client.post(url("time_bank_policy", place), _policy(place))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))
