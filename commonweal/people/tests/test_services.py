"""The use cases: records, consent that stops what it covers, plans that refuse lost updates, connections."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from commonweal.audit.models import AuditEvent
from commonweal.people import services
from commonweal.people.models import (
    SNOMED_DECLINED,
    SNOMED_REFERRAL,
    Connection,
    Erasure,
    LawfulBasis,
    Person,
    Purpose,
    Status,
    Step,
)
from commonweal.people.nhs import normalise_nhs_number

from .conftest import make_person


def test_a_new_person_is_placed_in_the_neighbourhood_of_their_postcode(person, place):
    assert person.neighbourhood.code == "E01006213"
    assert person.nhs_number == "9434765919"
    assert person.consents.get().purpose == Purpose.SUPPORT


def test_a_postcode_outside_the_place_leaves_the_neighbourhood_empty(place, postcodes, organisations, connector):
    someone = make_person(place, organisations["team_a"], connector, "Outside", postcode="M1 1AE")
    assert someone.neighbourhood is None


def test_the_audit_trail_names_people_by_number_never_by_name(person):
    event = AuditEvent.objects.get(object_type="people.person", object_id=str(person.pk), action="created")
    assert event.object_repr == f"person {person.pk}"
    assert "Mair" not in str(event.detail)


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("943 476 5919", True),
        ("9434765919", True),
        ("943-476-5919", True),
        ("9434765918", False),
        ("12345", False),
        ("123456789X", False),
    ],
)
def test_nhs_numbers_are_checked_with_the_modulus_11_rule(raw, ok):
    if ok:
        assert normalise_nhs_number(raw) == "9434765919"
    else:
        with pytest.raises(ValidationError):
            normalise_nhs_number(raw)


def test_an_nhs_number_whose_check_digit_would_be_ten_is_refused():
    # 000000006 weighs 6 x 2 = 12, remainder 1, so the check digit would be 10: never issued.
    with pytest.raises(ValidationError):
        normalise_nhs_number("0000000060")


def test_two_workers_changing_the_same_details_cannot_overwrite_each_other(person, connector, team_lead):
    version = person.version
    services.update_person(person, by=connector, version=version, phone="01942 111111")
    stale = Person.objects.get(pk=person.pk)
    with pytest.raises(services.ConcurrentEdit):
        services.update_person(stale, by=team_lead, version=version, phone="01942 222222")
    assert Person.objects.get(pk=person.pk).phone == "01942 111111"


def test_two_workers_editing_the_same_plan_cannot_silently_overwrite_each_other(person, connector, team_lead):
    plan = services.start_plan(person, by=connector)
    goal = services.add_goal(plan, by=connector, version=plan.version, description="Get out more")
    opened_by_both = plan.version
    step = services.add_step(goal, by=connector, version=opened_by_both, description="Walk", owner=Step.Owner.PERSON)
    with pytest.raises(services.ConcurrentEdit, match="Someone else changed this plan"):
        services.update_step(step, by=team_lead, version=opened_by_both, progress=Step.Progress.DONE)
    step.refresh_from_db()
    assert step.progress == Step.Progress.NOT_STARTED
    services.update_step(step, by=team_lead, version=plan.version, progress=Step.Progress.DONE)
    step.refresh_from_db()
    assert step.progress == Step.Progress.DONE


def test_a_conversation_sets_the_next_follow_up_from_the_places_policy(person, connector):
    conversation = services.record_conversation(
        person, by=connector, held_on=date(2025, 3, 1), setting="home", what_matters="My garden"
    )
    person.refresh_from_db()
    assert person.next_contact_on == date(2025, 3, 29)
    assert conversation.worker == connector


def test_withdrawing_support_stops_new_conversations(person, connector):
    services.withdraw_consent(person.consents.get(purpose=Purpose.SUPPORT), by=connector)
    with pytest.raises(services.ConsentMissing):
        services.record_conversation(person, by=connector, held_on=date(2025, 3, 1), setting="home", what_matters="x")


def test_referring_to_an_organisation_needs_consent_to_share_with_it(person, service, connector):
    with pytest.raises(services.ConsentMissing, match="consent to share"):
        services.suggest_connection(person, by=connector, kind=Connection.Kind.OFFER, service=service, refer=True)
    assert not person.connections.exists()  # the whole use case rolled back


def test_a_referral_carries_the_snomed_code_and_a_response_deadline(referral):
    assert referral.status == Status.REFERRED
    assert referral.snomed_code == SNOMED_REFERRAL
    assert referral.respond_by == referral.referred_on + timedelta(days=10)
    assert referral.provider.kind == "vcse"


def test_a_declined_referral_carries_the_declined_code(referral, provider):
    declined = services.move_connection(
        referral, Status.DECLINED, by=provider, version=referral.version, note="Full", as_provider=True
    )
    assert declined.snomed_code == SNOMED_DECLINED
    assert [e.status for e in declined.events.all()] == ["suggested", "referred", "declined"]


def test_a_connection_moves_through_its_lifecycle_and_refuses_impossible_moves(referral, provider, connector):
    c = services.move_connection(referral, Status.ACCEPTED, by=provider, version=referral.version, as_provider=True)
    c = services.move_connection(c, Status.ATTENDED, by=connector, version=c.version)
    c = services.move_connection(c, Status.SUSTAINED, by=connector, version=c.version)
    with pytest.raises(services.PeopleError, match="Say why"):
        services.move_connection(c, Status.ENDED, by=connector, version=c.version)
    c = services.move_connection(c, Status.ENDED, by=connector, version=c.version, end_reason="completed")
    with pytest.raises(services.PeopleError, match="cannot become"):
        services.move_connection(c, Status.ACCEPTED, by=connector, version=c.version)


def test_a_stale_connection_answer_is_refused(referral, provider, connector):
    services.move_connection(referral, Status.ACCEPTED, by=provider, version=referral.version, as_provider=True)
    with pytest.raises(services.ConcurrentEdit):
        services.move_connection(referral, Status.ENDED, by=connector, version=referral.version, end_reason="other")


def test_withdrawing_consent_to_share_ends_open_referrals_to_that_organisation(referral, sharing_consent, connector):
    services.withdraw_consent(sharing_consent, by=connector)
    referral.refresh_from_db()
    assert referral.status == Status.ENDED
    assert referral.end_reason == "consent_withdrawn"


def test_overdue_referrals_get_one_reminder_a_day(referral, place):
    later = referral.respond_by + timedelta(days=2)
    assert [r.connection_id for r in services.remind_providers(place, today=later)] == [referral.pk]
    assert services.remind_providers(place, today=later) == []
    referral.refresh_from_db()
    assert referral.reminders_sent == 1


def test_the_first_wellbeing_answer_is_the_baseline_and_later_ones_follow_ups(person, ons4, connector):
    scores = {"life_satisfaction": 3, "worthwhile": 4, "happiness": 5, "anxiety": 8}
    first = services.record_wellbeing(person, ons4, scores, by=connector, taken_on=date(2025, 1, 1))
    second = services.record_wellbeing(person, ons4, {**scores, "anxiety": 2}, by=connector)
    assert (first.occasion, second.occasion) == ("baseline", "follow_up")
    with pytest.raises(services.PeopleError, match="anxiety"):
        services.record_wellbeing(person, ons4, {**scores, "anxiety": 11}, by=connector)


def test_erasure_keeps_only_what_the_law_requires_and_is_recorded(referral, person, ons4, team_lead):
    services.record_conversation(person, by=team_lead, held_on=date(2025, 1, 1), setting="home", what_matters="x")
    services.record_wellbeing(
        person, ons4, {"life_satisfaction": 3, "worthwhile": 4, "happiness": 5, "anxiety": 8}, by=team_lead
    )
    erasure = services.erase_person(person, by=team_lead, requested_on=date(2025, 4, 1))
    person.refresh_from_db()
    assert person.status == Person.Status.ERASED
    assert "Mair" not in person.full_name
    assert (person.nhs_number, person.postcode, person.date_of_birth) == ("", "", None)
    assert not person.conversations.exists()
    assert not person.wellbeing.exists()
    assert not person.consents.exists()
    kept = person.connections.get()
    assert (kept.status, kept.snomed_code, kept.reason) == (Status.ENDED, SNOMED_REFERRAL, "")
    assert Erasure.objects.get() == erasure
    assert erasure.removed["conversations"] == 1
    assert AuditEvent.objects.filter(action="deleted", object_id=str(person.pk), purpose="erasure request").exists()
    with pytest.raises(services.PeopleError):
        services.erase_person(person, by=team_lead, requested_on=date(2025, 4, 1))


def test_sharing_consent_names_an_organisation(person, connector):
    with pytest.raises(services.PeopleError):
        services.record_consent(person, Purpose.SHARING, by=connector, lawful_basis=LawfulBasis.CONSENT)


def test_a_person_cannot_be_put_on_another_places_team(place, other_place_connector, connector):
    team = other_place_connector.memberships.get().team
    with pytest.raises(services.PeopleError):
        services.create_person(place, team, by=connector, full_name="x")
