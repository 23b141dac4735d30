"""Use cases that write people's records. Views, commands, the demo and tests all call these.

Each runs in a transaction and writes the audit trail with its purpose. The trail names records by
number ("person 42"), never by name, so it never becomes a second copy of personal data.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonweal.audit.models import Action
from commonweal.audit.services import record

from . import instruments
from .access import DIRECT_SUPPORT, ERASURE, PROVIDER_RESPONSE
from .models import (
    SNOMED_DECLINED,
    SNOMED_REFERRAL,
    Connection,
    ConnectionEvent,
    Consent,
    Conversation,
    EndReason,
    Erasure,
    Goal,
    Instrument,
    LawfulBasis,
    Person,
    Plan,
    PracticePolicy,
    Purpose,
    Status,
    Step,
    WellbeingResponse,
)
from .models.connection import TRANSITIONS
from .nhs import normalise_nhs_number


class PeopleError(Exception):
    """A use case that cannot go ahead, with a message a worker can act on."""


class ConcurrentEdit(PeopleError):
    """The record changed since the user opened it; their change was not saved."""


class ConsentMissing(PeopleError):
    """What was asked for needs consent (or another lawful basis) that is not in force."""


def _audit(by: Any, action: str, obj: Any, person: Person, purpose: str = DIRECT_SUPPORT, **detail: Any) -> None:
    record(by, action, obj, place=person.place, purpose=purpose, object_repr=person.label, detail=detail or None)


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def policy_for(place: Any) -> PracticePolicy:
    policy, _created = PracticePolicy.objects.get_or_create(place=place)
    return policy


def neighbourhood_for(place: Any, postcode: str) -> Any:
    """The neighbourhood of a postcode in the place, or None (a person may live just over the border)."""
    if not postcode:
        return None
    found = place.postcodes.filter(postcode=postcode).select_related("neighbourhood").first()
    return found.neighbourhood if found else None


# --- People and consent ---------------------------------------------------------------------------------

PERSON_FIELDS = (
    "full_name",
    "preferred_name",
    "date_of_birth",
    "postcode",
    "nhs_number",
    "contact_methods",
    "phone",
    "email",
    "languages",
    "accessibility_needs",
    "next_contact_on",
    "worker",
)


def _clean_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if fields.get("nhs_number"):
        fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"])
    return fields


def create_person(
    place: Any,
    team: Any,
    *,
    by: Any,
    support_basis: str = LawfulBasis.CONSENT,
    support_given_on: date | None = None,
    **fields: Any,
) -> Person:
    """Start a record on a team's caseload, with the basis for supporting the person recorded first."""
    if team.place_id != place.pk:
        raise PeopleError(_("That team works in another place."))
    fields = _clean_person_fields(fields)
    with transaction.atomic():
        person = Person(place=place, team=team, **fields)
        person.neighbourhood = neighbourhood_for(place, person.postcode)
        person.save()
        Consent.objects.create(
            person=person,
            place=place,
            purpose=Purpose.SUPPORT,
            lawful_basis=support_basis,
            given_on=support_given_on or timezone.localdate(),
            recorded_by=_user(by),
        )
        _audit(by, Action.CREATED, person, person)
    return person


def update_person(person: Person, *, by: Any, version: int, **fields: Any) -> Person:
    """Change a person's details, refusing if someone else changed them since `version` was read."""
    fields = _clean_person_fields(fields)
    with transaction.atomic():
        changed = Person.objects.filter(pk=person.pk, version=version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not changed:
            raise ConcurrentEdit(
                _("Someone else changed these details since you opened them. Check them and make your change again.")
            )
        for name, value in fields.items():
            setattr(person, name, value)
        if "postcode" in fields:
            person.neighbourhood = neighbourhood_for(person.place, person.postcode)
        person.version = version + 1
        person.save(update_fields=[*fields, "neighbourhood"] if "postcode" in fields else list(fields))
        _audit(by, Action.UPDATED, person, person, fields=sorted(fields))
    return person


def link_account(person: Person, account: Any, *, by: Any) -> Person:
    """Link the resident's own account so they can read and download their record."""
    with transaction.atomic():
        person.account = account
        person.save(update_fields=["account"])
        _audit(by, Action.UPDATED, person, person, fields=["account"])
    return person


def record_consent(
    person: Person,
    purpose: str,
    *,
    by: Any,
    lawful_basis: str,
    given_on: date | None = None,
    organisation: Any = None,
    notes: str = "",
) -> Consent:
    if purpose == Purpose.SHARING and organisation is None:
        raise PeopleError(_("Sharing consent names the organisation it is for."))
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            place=person.place,
            purpose=purpose,
            organisation=organisation if purpose == Purpose.SHARING else None,
            lawful_basis=lawful_basis,
            given_on=given_on or timezone.localdate(),
            notes=notes,
            recorded_by=_user(by),
        )
        _audit(by, Action.CREATED, consent, person, purpose_of_consent=purpose)
    return consent


def withdraw_consent(consent: Consent, *, by: Any, on: date | None = None) -> Consent:
    """Withdraw consent and stop what it covered.

    Sharing: open connections to that organisation end, and its providers no longer see them.
    Support: no new conversations, plans or connections can be recorded. Research: the person
    leaves the research contact list.
    """
    on = on or timezone.localdate()
    person = consent.person
    with transaction.atomic():
        if consent.withdrawn_on is not None:
            return consent
        consent.withdrawn_on = on
        consent.save(update_fields=["withdrawn_on"])
        _audit(by, Action.UPDATED, consent, person, withdrawn=True, purpose_of_consent=consent.purpose)
        if consent.purpose == Purpose.SHARING and not sharing_basis_remains(person, consent.organisation_id):
            for connection in person.connections.filter(provider_id=consent.organisation_id).exclude(
                status__in=[Status.DECLINED, Status.ENDED, Status.SUGGESTED]
            ):
                _move(connection, Status.ENDED, by=by, on=on, end_reason=EndReason.CONSENT_WITHDRAWN)
    return consent


def sharing_basis_remains(person: Person, organisation_id: int | None) -> bool:
    return (
        Consent.objects.in_force()
        .filter(person=person, purpose=Purpose.SHARING, organisation_id=organisation_id)
        .exists()
    )


def support_in_force(person: Person) -> bool:
    return Consent.objects.in_force().filter(person=person, purpose=Purpose.SUPPORT).exists()


def _require_support(person: Person) -> None:
    if person.is_erased:
        raise PeopleError(_("This record has been erased."))
    if not support_in_force(person):
        raise ConsentMissing(_("The person has withdrawn their agreement to support, so nothing new can be recorded."))


# --- Conversations ---------------------------------------------------------------------------------------

CONVERSATION_FIELDS = (
    "held_on",
    "with_whom",
    "setting",
    "what_matters",
    "skills",
    "interests",
    "relationships",
    "worries",
    "want_to_change",
    "life_domains",
)


def record_conversation(person: Person, *, by: Any, next_contact_on: date | None = None, **fields: Any) -> Conversation:
    """Record a 'different conversation' and when the team will next be in touch."""
    unknown = set(fields) - set(CONVERSATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown conversation fields: {sorted(unknown)}")
    _require_support(person)
    with transaction.atomic():
        conversation = Conversation.objects.create(person=person, place=person.place, worker=_user(by), **fields)
        if next_contact_on is None:
            next_contact_on = conversation.held_on + timedelta(days=policy_for(person.place).follow_up_days)
        Person.objects.filter(pk=person.pk).update(next_contact_on=next_contact_on, updated_at=timezone.now())
        person.next_contact_on = next_contact_on
        _audit(by, Action.CREATED, conversation, person)
    return conversation


# --- Plans (optimistic concurrency on the whole plan) -------------------------------------------------------

PLAN_CHANGED = (
    "Someone else changed this plan since you opened it, so your change was not saved. "
    "Check the plan as it is now and make your change again."
)


def _claim_plan(plan: Plan, version: int, by: Any) -> None:
    """Raise the plan's version if it is still `version`; otherwise refuse (another worker got there first)."""
    changed = Plan.objects.filter(pk=plan.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=_user(by)
    )
    if not changed:
        raise ConcurrentEdit(_(PLAN_CHANGED))
    plan.version = version + 1


def start_plan(person: Person, *, by: Any) -> Plan:
    _require_support(person)
    with transaction.atomic():
        plan, created = Plan.objects.get_or_create(
            person=person, defaults={"place": person.place, "updated_by": _user(by)}
        )
        if created:
            _audit(by, Action.CREATED, plan, person)
    return plan


def add_goal(plan: Plan, *, by: Any, version: int, description: str) -> Goal:
    _require_support(plan.person)
    with transaction.atomic():
        _claim_plan(plan, version, by)
        goal = Goal.objects.create(plan=plan, description=description)
        _audit(by, Action.UPDATED, plan, plan.person, added_goal=goal.pk)
    return goal


def add_step(
    goal: Goal,
    *,
    by: Any,
    version: int,
    description: str,
    owner: str,
    other_party: str = "",
    due_on: date | None = None,
) -> Step:
    plan = goal.plan
    _require_support(plan.person)
    with transaction.atomic():
        _claim_plan(plan, version, by)
        step = Step.objects.create(
            goal=goal,
            description=description,
            owner=owner,
            other_party=other_party if owner == Step.Owner.OTHER else "",
            due_on=due_on,
        )
        _audit(by, Action.UPDATED, plan, plan.person, added_step=step.pk)
    return step


def update_step(step: Step, *, by: Any, version: int, **fields: Any) -> Step:
    allowed = {"description", "owner", "other_party", "due_on", "progress"}
    if set(fields) - allowed:
        raise TypeError(f"unknown step fields: {sorted(set(fields) - allowed)}")
    plan = step.goal.plan
    with transaction.atomic():
        _claim_plan(plan, version, by)
        for name, value in fields.items():
            setattr(step, name, value)
        if step.owner != Step.Owner.OTHER:
            step.other_party = ""
        step.save()
        _audit(by, Action.UPDATED, plan, plan.person, changed_step=step.pk)
    return step


def mark_goal_achieved(goal: Goal, *, by: Any, version: int, on: date | None = None) -> Goal:
    plan = goal.plan
    with transaction.atomic():
        _claim_plan(plan, version, by)
        goal.achieved_on = on or timezone.localdate()
        goal.save(update_fields=["achieved_on"])
        _audit(by, Action.UPDATED, plan, plan.person, achieved_goal=goal.pk)
    return goal


# --- Connections -------------------------------------------------------------------------------------------


def _target_provider(kind: str, service: Any, group: Any, volunteer: Any) -> Any:
    """Check the target fits the kind; return the organisation that answers (None for a volunteer)."""
    targets = {Connection.Kind.OFFER: service, Connection.Kind.GROUP: group, Connection.Kind.PERSON: volunteer}
    if kind not in targets or targets[kind] is None or sum(t is not None for t in targets.values()) != 1:
        raise PeopleError(_("Choose one offer, group or person to connect with."))
    if kind == Connection.Kind.OFFER:
        return getattr(service, SERVICE_ORGANISATION_FIELD)
    if kind == Connection.Kind.GROUP:
        return group
    return None


# The directory's Service names its organisation here (accounts.Organisation, one identity per real thing).
SERVICE_ORGANISATION_FIELD = "organisation"


def suggest_connection(
    person: Person,
    *,
    by: Any,
    kind: str,
    service: Any = None,
    group: Any = None,
    volunteer: Any = None,
    reason: str = "",
    refer: bool = False,
    on: date | None = None,
) -> Connection:
    """Suggest a connection; with `refer`, refer it straight away (which needs consent to share)."""
    _require_support(person)
    provider = _target_provider(kind, service, group, volunteer)
    for candidate, target in ((service, "service"), (group, "group")):
        if candidate is not None and getattr(candidate, "place_id", person.place_id) != person.place_id:
            raise PeopleError(_("That %(target)s is in another place.") % {"target": target})
    on = on or timezone.localdate()
    with transaction.atomic():
        connection = Connection(
            person=person,
            place=person.place,
            kind=kind,
            group=group,
            volunteer=volunteer,
            provider=provider,
            reason=reason,
            made_by=_user(by),
        )
        if service is not None:
            connection.service = service
        connection.save()
        ConnectionEvent.objects.create(connection=connection, status=Status.SUGGESTED, on=on, by=_user(by))
        _audit(by, Action.CREATED, connection, person, kind=kind)
        if refer:
            _move(connection, Status.REFERRED, by=by, on=on)
    return connection


def _move(
    connection: Connection,
    status: str,
    *,
    by: Any,
    on: date,
    note: str = "",
    end_reason: str = "",
    purpose: str = DIRECT_SUPPORT,
) -> Connection:
    if status not in TRANSITIONS[connection.status]:
        raise PeopleError(
            _("A connection that is %(now)s cannot become %(next)s.")
            % {"now": connection.get_status_display().lower(), "next": Status(status).label.lower()}
        )
    person = connection.person
    code = ""
    if status == Status.REFERRED:
        if connection.provider_id is not None and not sharing_basis_remains(person, connection.provider_id):
            raise ConsentMissing(
                _("Record the person's consent to share with %(organisation)s before referring them.")
                % {"organisation": connection.provider.name}
            )
        connection.referred_on = on
        connection.respond_by = on + timedelta(days=policy_for(connection.place).response_days)
        code = SNOMED_REFERRAL
    elif status in (Status.ACCEPTED, Status.DECLINED):
        connection.responded_on = on
        connection.response_note = note
        if status == Status.DECLINED:
            code = SNOMED_DECLINED
    elif status == Status.ATTENDED:
        connection.attended_on = on
    elif status == Status.SUSTAINED:
        connection.sustained_on = on
    elif status == Status.ENDED:
        if not end_reason:
            raise PeopleError(_("Say why the connection ended."))
        connection.ended_on = on
        connection.end_reason = end_reason
    connection.status = status
    if code:
        connection.snomed_code = code
    connection.version += 1
    connection.updated_at = timezone.now()
    connection.save()
    ConnectionEvent.objects.create(
        connection=connection, status=status, on=on, by=_user(by), note=note, snomed_code=code
    )
    _audit(by, Action.UPDATED, connection, person, purpose=purpose, status=status)
    return connection


def move_connection(
    connection: Connection,
    status: str,
    *,
    by: Any,
    version: int,
    on: date | None = None,
    note: str = "",
    end_reason: str = "",
    as_provider: bool = False,
) -> Connection:
    """Move a connection along its lifecycle (refer, accept, decline, attended, sustained, end)."""
    with transaction.atomic():
        connection = (
            Connection.objects.select_for_update(of=("self",))
            .select_related("person", "place", "provider")
            .get(pk=connection.pk)
        )
        if connection.version != version:
            raise ConcurrentEdit(_("Someone else changed this connection since you opened it. Check it and try again."))
        if status in (Status.REFERRED,) and not as_provider:
            _require_support(connection.person)
        return _move(
            connection,
            status,
            by=by,
            on=on or timezone.localdate(),
            note=note,
            end_reason=end_reason,
            purpose=PROVIDER_RESPONSE if as_provider else DIRECT_SUPPORT,
        )


@dataclass(frozen=True)
class Reminder:
    connection_id: int
    provider_id: int
    days_overdue: int


def remind_providers(place: Any, *, by: Any = None, today: date | None = None) -> list[Reminder]:
    """Note a reminder on each referral whose answer is overdue (at most one a day); return them to send.

    The reminder carries no personal data: it says an organisation has referrals waiting in its inbox.
    """
    today = today or timezone.localdate()
    overdue = Connection.objects.filter(
        place=place, status=Status.REFERRED, respond_by__lt=today, provider__isnull=False
    ).exclude(last_reminded_on=today)
    reminders = [Reminder(c.pk, c.provider_id, (today - c.respond_by).days) for c in overdue]
    with transaction.atomic():
        Connection.objects.filter(pk__in=[r.connection_id for r in reminders]).update(
            reminders_sent=F("reminders_sent") + 1, last_reminded_on=today
        )
        if reminders:
            record(by, Action.UPDATED, place, purpose="referral reminders", detail={"reminders": len(reminders)})
    return reminders


# --- Wellbeing ---------------------------------------------------------------------------------------------


def record_wellbeing(
    person: Person,
    instrument: Instrument,
    scores: dict[str, Any],
    *,
    by: Any,
    taken_on: date | None = None,
) -> WellbeingResponse:
    """Record one completion; the first for an instrument is the baseline, later ones follow-ups."""
    _require_support(person)
    try:
        clean = instruments.check_scores(instrument.items, scores)
    except instruments.InstrumentError as error:
        raise PeopleError(str(error)) from None
    with transaction.atomic():
        first = not person.wellbeing.filter(instrument=instrument).exists()
        response = WellbeingResponse.objects.create(
            person=person,
            place=person.place,
            instrument=instrument,
            taken_on=taken_on or timezone.localdate(),
            occasion=WellbeingResponse.Occasion.BASELINE if first else WellbeingResponse.Occasion.FOLLOW_UP,
            scores=clean,
            recorded_by=_user(by),
        )
        _audit(by, Action.CREATED, response, person)
    return response


def load_instrument(definition: dict[str, Any], *, by: Any) -> Instrument:
    """Create or replace an instrument from its definition (see `instruments.SCHEMA`)."""
    instruments.check_definition(definition)
    with transaction.atomic():
        instrument, created = Instrument.objects.update_or_create(
            code=definition["code"],
            defaults={
                "name": definition["name"],
                "source": definition.get("source", ""),
                "items": definition["items"],
                "total_bands": definition.get("total_bands", []),
            },
        )
        record(
            by, Action.CREATED if created else Action.UPDATED, instrument, object_repr=f"instrument {instrument.code}"
        )
    return instrument


# --- Erasure -----------------------------------------------------------------------------------------------

# What stays after erasure and why (UK GDPR Article 17(3) exceptions and Article 5(2) accountability).
KEPT_AFTER_ERASURE = [
    "A stub record with its number, place, team and status 'erased', so the audit trail still resolves "
    "and the erasure can be shown to have happened (UK GDPR Article 5(2)).",
    "Connections' dates, statuses, SNOMED CT codes and providers without notes, because referrals already "
    "shared with a provider or GP are their records too and anonymous counts are needed for public "
    "health statistics (Article 17(3)(c) and (d)).",
    "The audit trail, which names the record by number only (Article 17(3)(b), (e)).",
]


def erase_person(person: Person, *, by: Any, requested_on: date) -> Erasure:
    """Erase a person's record on their request, keeping only what the law requires, and record it."""
    if person.is_erased:
        raise PeopleError(_("This record has already been erased."))
    with transaction.atomic():
        removed = {
            "conversations": person.conversations.count(),
            "consents": person.consents.count(),
            "wellbeing responses": person.wellbeing.count(),
            "plans": Plan.objects.filter(person=person).count(),
        }
        person.conversations.all().delete()
        person.wellbeing.all().delete()
        Plan.objects.filter(person=person).delete()
        person.consents.all().delete()
        connections = person.connections.all()
        removed["connection notes"] = connections.exclude(reason="", response_note="").count()
        for connection in connections:
            if connection.is_open:
                _move(
                    connection,
                    Status.ENDED,
                    by=by,
                    on=timezone.localdate(),
                    end_reason=EndReason.OTHER,
                    purpose=ERASURE,
                )
        connections.update(reason="", response_note="")
        ConnectionEvent.objects.filter(connection__person=person).update(note="", by=None)
        for name in ("preferred_name", "postcode", "nhs_number", "phone", "email", "languages", "accessibility_needs"):
            setattr(person, name, "")
        person.full_name = _("Erased record")
        person.date_of_birth = None
        person.neighbourhood = None
        person.contact_methods = []
        person.account = None
        person.worker = None
        person.next_contact_on = None
        person.status = Person.Status.ERASED
        person.version += 1
        person.updated_at = timezone.now()
        person.save()
        erasure = Erasure.objects.create(
            place=person.place,
            person_id_erased=person.pk,
            requested_on=requested_on,
            erased_by=_user(by),
            removed=removed,
            kept=KEPT_AFTER_ERASURE,
        )
        _audit(by, Action.DELETED, person, person, purpose=ERASURE, erasure=erasure.pk)
    return erasure
