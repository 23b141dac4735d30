"""Pages: forms keep what was typed and say what is wrong, concurrent plan edits are refused, queries stay bounded."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.people import services
from commonweal.people.models import Connection, Person, Plan, Step

from .conftest import make_person

HOSTILE_TAG = "<script>alert('pwned')</script>"


def _url(name, person, **extra):
    return reverse(f"people:{name}", kwargs={"place_code": person.place.code, "pk": person.pk, **extra})


def _errors(response):
    text = response.content.decode()
    assert response.status_code == 200  # a form with errors is a page like any other (GOV.UK pattern)
    assert "govuk-error-summary" in text
    return text


def test_a_new_person_with_bad_input_keeps_what_was_typed(client, place, connector, organisations, hostile):
    client.force_login(connector)
    response = client.post(
        reverse("people:person_new", args=[place.code]),
        {
            "full_name": hostile,
            "postcode": "not a postcode",
            "nhs_number": "943 476 5918",
            "date_of_birth": "31/02/1990",
            "team": organisations["team_a"].pk,
            "support_basis": "consent",
            "support_given_on": "2025-01-01",
            "email": "nope",
        },
    )
    text = _errors(response)
    assert "Enter a real postcode" in text
    assert "Enter a valid NHS number" in text
    assert "Enter a real date" in text
    assert "Enter an email address" in text
    assert 'value="not a postcode"' in text
    assert "&lt;script&gt;" in text
    assert HOSTILE_TAG not in text
    assert not Person.objects.exists()


def test_a_new_person_is_saved_on_the_chosen_team_and_led_by_the_worker(
    client, place, postcodes, connector, organisations
):
    client.force_login(connector)
    response = client.post(
        reverse("people:person_new", args=[place.code]),
        {
            "full_name": "Gwen",
            "postcode": "wn11aa",
            "team": organisations["team_a"].pk,
            "support_basis": "consent",
            "support_given_on": "2025-01-01",
            "contact_methods": ["phone", "letter"],
        },
    )
    person = Person.objects.get()
    assert response.url == person.get_absolute_url()
    assert (person.postcode, person.worker, person.contact_methods) == ("WN1 1AA", connector, ["phone", "letter"])


def test_a_worker_cannot_put_someone_on_another_teams_caseload(client, place, connector, organisations):
    client.force_login(connector)
    response = client.post(
        reverse("people:person_new", args=[place.code]),
        {
            "full_name": "Gwen",
            "team": organisations["team_b"].pk,
            "support_basis": "consent",
            "support_given_on": "2025-01-01",
        },
    )
    assert "Choose one of your teams" in _errors(response)


def test_a_conversation_without_what_matters_is_refused_and_keeps_the_rest(client, person, connector, hostile):
    client.force_login(connector)
    response = client.post(
        _url("conversation_new", person),
        {"held_on": "2025-02-01", "setting": "home", "skills": f"Baking {hostile}", "life_domains": ["food"]},
    )
    text = _errors(response)
    assert "Write what matters to them" in text
    assert "Baking &lt;script&gt;" in text
    assert 'value="food" class="govuk-checkboxes__input" id="id_life_domains_11" checked' in text or "checked" in text


def test_a_conversation_is_saved_and_shown_escaped(client, person, connector, hostile):
    client.force_login(connector)
    response = client.post(
        _url("conversation_new", person),
        {
            "held_on": "2025-02-01",
            "setting": "home",
            "what_matters": f"My grandchildren {hostile}",
            "life_domains": ["relationships"],
        },
    )
    assert response.status_code == 302
    text = client.get(response.url).content.decode()
    assert "My grandchildren &lt;script&gt;" in text
    assert "Family and friends" in text
    assert HOSTILE_TAG not in text


def test_a_conversation_in_the_future_is_refused(client, person, connector):
    client.force_login(connector)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        _url("conversation_new", person), {"held_on": tomorrow, "setting": "home", "what_matters": "x"}
    )
    assert "today or in the past" in _errors(response)


def test_wellbeing_answers_out_of_range_are_refused_and_kept(client, person, connector, ons4):
    client.force_login(connector)
    response = client.post(
        _url("wellbeing_new", person),
        {"taken_on": "2025-02-01", "life_satisfaction": "11", "worthwhile": "5", "happiness": "", "anxiety": "x"},
    )
    text = _errors(response)
    assert "Enter a number of 10 or less" in text
    assert "Answer this question with a number from 0 to 10" in text
    assert "Enter a whole number" in text
    assert 'value="11"' in text


def test_wellbeing_change_is_shown_per_question_with_the_ons_bands(client, person, connector, ons4):
    services.record_wellbeing(
        person,
        ons4,
        {"life_satisfaction": 3, "worthwhile": 4, "happiness": 5, "anxiety": 8},
        by=connector,
        taken_on=date(2025, 1, 1),
    )
    services.record_wellbeing(
        person,
        ons4,
        {"life_satisfaction": 7, "worthwhile": 4, "happiness": 4, "anxiety": 1},
        by=connector,
        taken_on=date(2025, 3, 1),
    )
    client.force_login(connector)
    text = client.get(person.get_absolute_url()).content.decode()
    assert "3 (Low)" in text
    assert "7 (High)" in text
    assert "8 (High)" in text  # anxiety 8 is high anxiety
    assert "1 (Very low)" in text


def test_bad_consent_input_is_refused_with_a_message(client, person, connector):
    client.force_login(connector)
    response = client.post(
        _url("consents", person), {"purpose": "sharing", "lawful_basis": "consent", "given_on": "2025-01-01"}
    )
    assert "Choose the organisation they agree to share with" in _errors(response)


def test_consent_can_be_recorded_and_withdrawn_from_the_page(client, person, connector, organisations):
    client.force_login(connector)
    client.post(
        _url("consents", person),
        {
            "purpose": "sharing",
            "organisation": organisations["vcse"].pk,
            "lawful_basis": "consent",
            "given_on": "2025-01-01",
        },
    )
    consent = person.consents.get(purpose="sharing")
    client.post(_url("consent_withdraw", person, consent=consent.pk))
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_a_step_for_someone_else_must_say_who(client, person, connector):
    plan = services.start_plan(person, by=connector)
    goal = services.add_goal(plan, by=connector, version=plan.version, description="Cook again")
    client.force_login(connector)
    response = client.post(
        _url("plan_step_new", person, goal=goal.pk),
        {"version": plan.version, "description": "Cookery class", "owner": "other"},
    )
    text = _errors(response)
    assert "Say who else will do this step" in text
    assert "Cookery class" in text


def test_two_workers_editing_the_same_plan_at_once_the_second_is_told_and_keeps_their_text(
    client, person, connector, team_lead
):
    plan = services.start_plan(person, by=connector)
    goal = services.add_goal(plan, by=connector, version=plan.version, description="Cook again")
    opened = plan.version  # both workers open the plan page now
    client.force_login(connector)
    first = client.post(
        _url("plan_step_new", person, goal=goal.pk), {"version": opened, "description": "Buy a pan", "owner": "person"}
    )
    assert first.status_code == 302
    client.force_login(team_lead)
    second = client.post(
        _url("plan_step_new", person, goal=goal.pk),
        {"version": opened, "description": "Find a cookery class", "owner": "worker"},
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "Someone else changed this plan since you opened it" in text
    assert "Find a cookery class" in text  # what they typed is still there
    assert f'name="version" value="{Plan.objects.get().version}"' in text  # ready to send again
    assert list(Step.objects.values_list("description", flat=True)) == ["Buy a pan"]


def test_a_stale_progress_update_is_refused(client, person, connector, team_lead):
    plan = services.start_plan(person, by=connector)
    goal = services.add_goal(plan, by=connector, version=plan.version, description="Cook again")
    step = services.add_step(goal, by=connector, version=plan.version, description="Pan", owner="person")
    opened = plan.version
    client.force_login(connector)
    assert (
        client.post(
            _url("plan_step_progress", person, step=step.pk), {"version": opened, "progress": "done"}
        ).status_code
        == 302
    )
    client.force_login(team_lead)
    response = client.post(_url("plan_step_progress", person, step=step.pk), {"version": opened, "progress": "dropped"})
    assert response.status_code == 409
    step.refresh_from_db()
    assert step.progress == "done"


def test_a_goal_is_added_and_marked_achieved_from_the_plan_page(client, person, connector):
    client.force_login(connector)
    client.post(_url("plan_goal_new", person), {"version": 1, "description": "Walk to the shops"})
    plan = Plan.objects.get()
    goal = plan.goals.get()
    client.post(_url("plan_goal_achieved", person, goal=goal.pk), {"version": plan.version})
    goal.refresh_from_db()
    assert goal.achieved_on == timezone.localdate()


def test_an_empty_goal_is_refused(client, person, connector):
    client.force_login(connector)
    assert "Write the goal in their words" in _errors(client.post(_url("plan_goal_new", person), {"version": 1}))


def test_a_connection_to_a_group_is_made_and_ended_with_a_reason(client, person, connector, place):
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation

    group = create_organisation("Knit and natter", Organisation.Kind.COMMUNITY_GROUP, place=place, by=None)
    client.force_login(connector)
    response = client.post(_url("connections", person), {"kind": "group", "group": group.pk, "reason": "Likes wool"})
    assert response.status_code == 302
    connection = Connection.objects.get()
    ended = client.post(
        connection.get_absolute_url(), {"version": connection.version, "status": "ended", "on": "2025-01-01"}
    )
    assert "Choose why the connection ended" in _errors(ended)
    client.post(
        connection.get_absolute_url(),
        {"version": connection.version, "status": "ended", "on": "2025-01-01", "end_reason": "not_wanted"},
    )
    connection.refresh_from_db()
    assert connection.end_reason == "not_wanted"


def test_referring_without_consent_to_share_says_what_to_do(client, person, connector, service):
    client.force_login(connector)
    response = client.post(_url("connections", person), {"kind": "offer", "service": service.pk, "refer": "on"})
    assert "consent to share" in _errors(response)


def test_an_offer_of_another_place_cannot_be_chosen(client, person, connector, other_place, organisations):
    from commonweal.directory.models import Service

    elsewhere = Service.objects.create(
        place=other_place,
        organisation=organisations["vcse"],
        oruk_id="x",
        name="Elsewhere",
        last_modified=timezone.now(),
    )
    client.force_login(connector)
    response = client.post(_url("connections", person), {"kind": "offer", "service": elsewhere.pk})
    assert "not in this place" in _errors(response)


def test_the_provider_answer_form_reports_errors(client, referral, provider):
    client.force_login(provider)
    response = client.post(referral.get_inbox_url(), {"version": referral.version, "on": "2025-01-01"})
    _errors(response)


def test_the_gp_record_carries_the_nhs_number_and_snomed_codes(client, referral, provider, connector):
    services.move_connection(referral, "declined", by=provider, version=referral.version, as_provider=True)
    client.force_login(connector)
    bundle = json.loads(client.get(_url("gp_record_json", referral.person)).content)
    assert bundle["resourceType"] == "Bundle"
    patient = bundle["entry"][0]["resource"]
    assert patient["identifier"][0] == {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}
    codes = [e["resource"]["code"]["coding"][0]["code"] for e in bundle["entry"][1:]]
    assert codes == ["871731000000106", "871711000000103"]
    assert bundle["entry"][1]["resource"]["status"] == "revoked"
    rows = client.get(_url("gp_record_csv", referral.person)).content.decode().splitlines()
    assert rows[0] == "nhs_number,date,snomed_ct,term,to,provider,status"
    assert [r.split(",")[2] for r in rows[1:]] == ["871731000000106", "871711000000103"]


def test_the_subject_access_page_and_json_hold_everything(client, referral, connector):
    person = referral.person
    services.record_conversation(person, by=connector, held_on=date(2025, 1, 1), setting="home", what_matters="Singing")
    client.force_login(connector)
    data = json.loads(client.get(_url("export_json", person)).content)
    assert data["format"] == "commonweal-subject-access/1"
    assert data["conversations"][0]["what_matters"] == "Singing"
    assert data["connections"][0]["snomed_ct"] == "871731000000106"
    assert {"action": "created"}.items() <= data["access_log"][0].items()
    page = client.get(_url("export", person)).content.decode()
    assert "Singing" in page
    assert HOSTILE_TAG not in page


def test_erasure_needs_confirmation(client, person, team_lead):
    client.force_login(team_lead)
    response = client.post(_url("erase", person), {"requested_on": "2025-01-01"})
    assert "Confirm that you understand" in _errors(response)


# --- Bounded queries ------------------------------------------------------------------------------------


def _fill(place, team, worker, n, ons4, service=None):
    people = []
    for i in range(n):
        p = make_person(place, team, worker, f"Person {i}", postcode="WN1 2BB")
        Person.objects.filter(pk=p.pk).update(next_contact_on=date(2025, 1, 1) + timedelta(days=i))
        people.append(p)
    return people


def _rich(person, worker, ons4, n):
    """n of everything on one person's record."""
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation

    group = create_organisation("Group", Organisation.Kind.COMMUNITY_GROUP, place=person.place, by=None)
    plan = services.start_plan(person, by=worker)
    for i in range(n):
        services.record_conversation(
            person, by=worker, held_on=date(2025, 1, 1) + timedelta(days=i), setting="home", what_matters=f"Thing {i}"
        )
        goal = services.add_goal(plan, by=worker, version=plan.version, description=f"Goal {i}")
        services.add_step(goal, by=worker, version=plan.version, description="Step", owner="worker")
        c = services.suggest_connection(person, by=worker, kind="group", group=group)
        services.move_connection(c, "ended", by=worker, version=c.version, end_reason="other")
        services.record_wellbeing(
            person,
            ons4,
            {"life_satisfaction": i % 11, "worthwhile": 5, "happiness": 5, "anxiety": 5},
            by=worker,
            taken_on=date(2025, 1, 1),
        )


@pytest.mark.parametrize("n", [3, 30])
def test_the_caseload_makes_the_same_number_of_queries_for_3_or_30_people(
    client, place, postcodes, organisations, connector, ons4, n, django_assert_num_queries
):
    _fill(place, organisations["team_a"], connector, n, ons4)
    client.force_login(connector)
    url = reverse("people:caseload", args=[place.code])
    client.get(url)  # warm the session
    # session, user, place, roles/teams, count, page, audit insert (+ savepoint-free autocommit)
    with django_assert_num_queries(7):
        response = client.get(url, {"show": "all"})
    assert response.content.decode().count("Person ") >= n


@pytest.mark.parametrize("n", [3, 30])
def test_the_timeline_makes_the_same_number_of_queries_for_3_or_30_records(
    client, person, connector, ons4, n, django_assert_num_queries
):
    _rich(person, connector, ons4, n)
    client.force_login(connector)
    client.get(person.get_absolute_url())
    with django_assert_num_queries(14):
        response = client.get(person.get_absolute_url())
    assert response.content.decode().count("Thing ") == n
