"""Exports of a person's record: the subject access export (JSON and a readable page) and the GP record.

Builders are pure reads over records already fetched through `access.person_for`; the `export_*`
functions add the audit event (action `exported`, with its purpose).

The GP record is a minimal FHIR R4-shaped Bundle (documented in docs/people.md): a Patient with the
NHS number, then one ServiceRequest per referral coded 871731000000106 "Referral to social
prescribing service", and one Observation coded 871711000000103 "Social prescribing declined" where
a referral was declined.
"""

import csv
import io
from typing import Any

from django.utils import timezone

from commonweal.audit.models import Action, AuditEvent
from commonweal.audit.services import record

from .access import GP_RECORD, SUBJECT_ACCESS
from .models import SNOMED_DECLINED, SNOMED_REFERRAL, SNOMED_TERMS, Connection, Person, Plan, Status

FORMAT = "commonweal-subject-access/1"
SNOMED = "http://snomed.info/sct"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def connections_of(person: Person) -> list[Connection]:
    return list(
        person.connections.select_related(*CONNECTION_RELATED).prefetch_related("events").order_by("created_at", "id")
    )


CONNECTION_RELATED = ("service", "provider", "group", "volunteer")


def subject_access_data(person: Person) -> dict[str, Any]:
    """Everything held about the person, in plain JSON (UK GDPR Article 15)."""
    plan = Plan.objects.filter(person=person).first()
    return {
        "format": FORMAT,
        "generated_at": timezone.now().isoformat(),
        "controller": person.place.name,
        "record_number": person.pk,
        "person": {
            "full_name": person.full_name,
            "preferred_name": person.preferred_name,
            "date_of_birth": _date(person.date_of_birth),
            "postcode": person.postcode,
            "neighbourhood": person.neighbourhood.code if person.neighbourhood else None,
            "nhs_number": person.nhs_number,
            "contact_methods": person.contact_methods,
            "phone": person.phone,
            "email": person.email,
            "languages": person.languages,
            "accessibility_needs": person.accessibility_needs,
            "team": person.team.name,
            "status": person.status,
            "next_follow_up": _date(person.next_contact_on),
            "created_at": person.created_at.isoformat(),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "organisation": c.organisation.name if c.organisation else None,
                "lawful_basis": c.lawful_basis,
                "given_on": _date(c.given_on),
                "withdrawn_on": _date(c.withdrawn_on),
                "notes": c.notes,
            }
            for c in person.consents.select_related("organisation").order_by("given_on", "id")
        ],
        "conversations": [
            {
                "date": _date(c.held_on),
                "worker": c.worker.full_name if c.worker else None,
                "who_was_there": c.with_whom,
                "where": c.setting,
                "what_matters": c.what_matters,
                "skills": c.skills,
                "interests": c.interests,
                "relationships": c.relationships,
                "worries": c.worries,
                "want_to_change": c.want_to_change,
                "life_domains": c.life_domains,
            }
            for c in person.conversations.select_related("worker").order_by("held_on", "id")
        ],
        "plan": _plan_data(plan) if plan else None,
        "connections": [_connection_data(c) for c in connections_of(person)],
        "wellbeing": [
            {
                "instrument": w.instrument.code,
                "date": _date(w.taken_on),
                "occasion": w.occasion,
                "answers": w.scores,
            }
            for w in person.wellbeing.select_related("instrument").order_by("taken_on", "id")
        ],
        "access_log": [
            {"at": e.at.isoformat(), "action": e.action, "purpose": e.purpose}
            for e in AuditEvent.objects.filter(object_type="people.person", object_id=str(person.pk)).order_by("at")
        ],
    }


def _plan_data(plan: Any) -> dict[str, Any]:
    return {
        "status": plan.status,
        "goals": [
            {
                "goal": g.description,
                "achieved_on": _date(g.achieved_on),
                "steps": [
                    {
                        "step": s.description,
                        "whose_part": s.owner,
                        "who_else": s.other_party,
                        "due_on": _date(s.due_on),
                        "progress": s.progress,
                    }
                    for s in g.steps.all()
                ],
            }
            for g in plan.goals.prefetch_related("steps")
        ],
    }


def _connection_data(c: Connection) -> dict[str, Any]:
    return {
        "to": c.target_name,
        "kind": c.kind,
        "provider": c.provider.name if c.provider else None,
        "status": c.status,
        "snomed_ct": c.snomed_code or None,
        "reason": c.reason,
        "referred_on": _date(c.referred_on),
        "answered_on": _date(c.responded_on),
        "provider_note": c.response_note,
        "ended_on": _date(c.ended_on),
        "end_reason": c.end_reason or None,
        "history": [{"status": e.status, "on": _date(e.on), "note": e.note} for e in c.events.all()],
    }


def export_subject_access(person: Person, *, by: Any) -> dict[str, Any]:
    data = subject_access_data(person)
    record(by, Action.EXPORTED, person, purpose=SUBJECT_ACCESS, object_repr=person.label, detail={"format": "json"})
    return data


# --- GP record -----------------------------------------------------------------------------------------


def _coding(code: str) -> dict[str, Any]:
    return {"coding": [{"system": SNOMED, "code": code, "display": SNOMED_TERMS[code]}]}


def gp_record_bundle(person: Person) -> dict[str, Any]:
    patient_ref = f"urn:commonweal:person:{person.place.code}:{person.pk}"
    patient: dict[str, Any] = {"resourceType": "Patient", "id": str(person.pk)}
    if person.nhs_number:
        patient["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": person.nhs_number}]
    patient["name"] = [{"text": person.full_name}]
    if person.date_of_birth:
        patient["birthDate"] = person.date_of_birth.isoformat()
    entries: list[dict[str, Any]] = [{"fullUrl": patient_ref, "resource": patient}]
    for c in connections_of(person):
        if c.referred_on is None:
            continue  # a suggestion not yet made is no referral
        performer = c.provider.name if c.provider else c.target_name
        entries.append(
            {
                "resource": {
                    "resourceType": "ServiceRequest",
                    "id": f"connection-{c.pk}",
                    "status": _service_request_status(c),
                    "intent": "order",
                    "code": _coding(SNOMED_REFERRAL),
                    "subject": {"reference": patient_ref},
                    "authoredOn": c.referred_on.isoformat(),
                    "performer": [{"display": performer}],
                    "note": [{"text": f"{c.target_name}: {c.get_status_display()}"}],
                }
            }
        )
        if c.snomed_code == SNOMED_DECLINED:
            entries.append(
                {
                    "resource": {
                        "resourceType": "Observation",
                        "id": f"connection-{c.pk}-declined",
                        "status": "final",
                        "code": _coding(SNOMED_DECLINED),
                        "subject": {"reference": patient_ref},
                        "effectiveDateTime": _date(c.responded_on),
                    }
                }
            )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "meta": {"source": f"Commonweal {person.place.name}"},
        "entry": entries,
    }


def _service_request_status(c: Connection) -> str:
    if c.status == Status.DECLINED or (c.status == Status.ENDED and c.attended_on is None):
        return "revoked"
    if c.status in (Status.ENDED, Status.SUSTAINED):
        return "completed"
    return "active"


GP_CSV_FIELDS = ["nhs_number", "date", "snomed_ct", "term", "to", "provider", "status"]


def gp_record_csv(person: Person) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GP_CSV_FIELDS)
    for c in connections_of(person):
        for e in c.events.all():
            if e.snomed_code:
                writer.writerow(
                    [
                        person.nhs_number,
                        e.on.isoformat(),
                        e.snomed_code,
                        SNOMED_TERMS[e.snomed_code],
                        _safe_csv(c.target_name),
                        _safe_csv(c.provider.name if c.provider else ""),
                        c.status,
                    ]
                )
    return out.getvalue()


def _safe_csv(text: str) -> str:
    # A spreadsheet would run a cell starting with =, +, - or @ as a formula (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def export_gp_record(person: Person, *, by: Any, fmt: str = "json") -> Any:
    data = gp_record_bundle(person) if fmt == "json" else gp_record_csv(person)
    record(by, Action.EXPORTED, person, purpose=GP_RECORD, object_repr=person.label, detail={"format": fmt})
    return data
