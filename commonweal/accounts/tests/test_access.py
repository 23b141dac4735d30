"""Who sees what: each rule tested both ways."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.accounts.models import Role
from commonweal.accounts.services import create_organisation, grant_role
from commonweal.audit.models import AuditEvent
from commonweal.audit.services import record

HOSTILE_TAG = "<script>alert('pwned')</script>"


@pytest.mark.parametrize("persona", ["connector", "other_team_connector", "team_lead", "administrator", "analyst"])
def test_staff_of_the_place_see_a_teams_members(client, organisations, persona, request):
    client.force_login(request.getfixturevalue(persona))
    team = organisations["team_a"]
    response = client.get(team.get_absolute_url())
    assert response.status_code == 200
    assert HOSTILE_TAG not in response.content.decode()


@pytest.mark.parametrize("persona", ["resident", "outsider", "other_place_connector", "other_place_administrator"])
def test_residents_outsiders_and_other_places_cannot_see_a_team(client, organisations, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(organisations["team_a"].get_absolute_url()).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in_for_a_team(client, organisations):
    response = client.get(organisations["team_a"].get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


def test_the_administrator_reads_the_places_audit_trail(client, administrator, place):
    record(administrator, "viewed", place, purpose=f"purpose {HOSTILE_TAG}")
    client.force_login(administrator)
    response = client.get(reverse("accounts:audit_log", args=[place.code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "purpose &lt;script&gt;" in text
    assert HOSTILE_TAG not in text


@pytest.mark.parametrize("persona", ["connector", "analyst", "resident", "other_place_administrator"])
def test_others_cannot_read_the_audit_trail(client, place, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:audit_log", args=[place.code])).status_code == 404


def test_the_audit_trail_filters_by_action_and_text(client, administrator, place):
    record(administrator, "viewed", place, purpose="needle")
    record(administrator, "exported", place, purpose="haystack")
    client.force_login(administrator)
    url = reverse("accounts:audit_log", args=[place.code])
    text = client.get(url, {"q": "needle"}).content.decode()
    assert "needle" in text
    assert "haystack" not in text
    text = client.get(url, {"action": "exported"}).content.decode()
    assert "haystack" in text
    assert "needle" not in text


def test_organisation_pages_are_public_and_escaped(client, organisations):
    response = client.get(organisations["vcse"].get_absolute_url())
    assert response.status_code == 200
    assert "GB-CHC-1234567" in response.content.decode()
    assert HOSTILE_TAG not in response.content.decode()


def test_signing_in_with_email_and_password_is_audited(client, connector):
    response = client.post(reverse("accounts:sign_in"), {"username": connector.email, "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=connector, action="signed_in").exists()


def test_a_wrong_password_keeps_the_email_typed_and_is_audited(client, connector):
    response = client.post(reverse("accounts:sign_in"), {"username": connector.email, "password": "wrong"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert f'value="{connector.email}"' in text
    assert AuditEvent.objects.filter(action="sign_in_failed", detail__email=connector.email).exists()


def test_the_account_page_lists_roles_and_links_administrators_to_the_audit_trail(client, administrator, place):
    client.force_login(administrator)
    text = client.get(reverse("accounts:home")).content.decode()
    assert "Administrator" in text
    assert reverse("accounts:audit_log", args=[place.code]) in text


def test_signing_out_needs_a_post(client, connector):
    client.force_login(connector)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    assert client.post(reverse("accounts:sign_out")).status_code == 302
    assert AuditEvent.objects.filter(actor=connector, action="signed_out").exists()


def test_password_reset_sends_a_link_that_sets_a_new_password(client, connector):
    client.post(reverse("accounts:password_reset"), {"email": connector.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a-much-longer-password-9", "new_password2": "a-much-longer-password-9"}
    )
    assert response.status_code == 302
    connector.refresh_from_db()
    assert connector.check_password("a-much-longer-password-9")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_connector_must_belong_to_a_team_and_a_provider_to_an_organisation(place, outsider):
    with pytest.raises(ValidationError, match="belongs to a team"):
        grant_role(outsider, Role.CONNECTOR, place=place, by=None)
    with pytest.raises(ValidationError, match="acts for an organisation"):
        grant_role(outsider, Role.PROVIDER, place=place, by=None)


def test_a_team_of_another_place_cannot_be_given(place, other_place, outsider, organisations):
    with pytest.raises(ValidationError, match="another place"):
        grant_role(outsider, Role.CONNECTOR, place=other_place, by=None, team=organisations["team_a"])


def test_granting_the_same_role_twice_keeps_one_membership_and_audits_once(place, outsider, administrator):
    first = grant_role(outsider, Role.ANALYST, place=place, by=administrator)
    second = grant_role(outsider, Role.ANALYST, place=place, by=administrator)
    assert first.pk == second.pk
    assert AuditEvent.objects.filter(action="granted", detail__user=outsider.pk).count() == 1


def test_an_organisation_identifier_must_look_like_one(place):
    with pytest.raises(ValidationError, match="not an organisation identifier"):
        create_organisation("X", "vcse", place=place, by=None, identifier="charity 123")


def test_every_service_write_leaves_an_audit_row(place, administrator, organisations):
    kinds = set(AuditEvent.objects.values_list("object_type", "action"))
    assert {("accounts.organisation", "created"), ("accounts.team", "created"), ("places.place", "created")} <= kinds
    assert ("accounts.membership", "granted") in kinds


def test_govuk_forms_render_groups_of_choices_as_fieldsets_with_the_right_inputs():
    from django import forms as django_forms

    from commonweal.govuk import GovukForm

    class Choices(GovukForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Added after __init__, as forms built from data do: still rendered the GOV.UK way.
            self.fields["many"] = django_forms.MultipleChoiceField(
                label="Many", choices=[("a", "A"), ("b", "B")], widget=django_forms.CheckboxSelectMultiple
            )
            self.fields["one"] = django_forms.ChoiceField(
                label="One", choices=[("x", "X")], widget=django_forms.RadioSelect
            )

    html = Choices(data={"one": "nope"}).render()
    assert html.count('type="checkbox"') == 2
    assert html.count('type="radio"') == 1
    assert html.count("<legend") == 2
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_one-error"' in html


@pytest.mark.parametrize(
    ("persona", "link"),
    [
        ("connector", "/people/"),
        ("provider", "/inbox/"),
        ("resident", "/my-record/"),
        ("analyst", "/account/"),
        ("commissioner", "/deal/ledger/"),
        ("administrator", "/audit/"),
    ],
)
def test_the_account_page_leads_each_role_to_its_work(client, persona, link, request):
    client.force_login(request.getfixturevalue(persona))
    assert link in client.get(reverse("accounts:home")).content.decode()
