"""Who may see and change people's records: small predicates used by views and templates alike.

The rule (DESIGN.md rule 5) is a legitimate relationship: the workers of the team whose caseload
holds the record, the person themselves, and a provider for the connections made to its offers
while the person's consent to share with it is in force. Analysts see aggregates only. Views answer
404 where there is no access and 403 where access is read-only.
"""

from typing import Any

from commonweal.accounts.models import Membership, Role
from commonweal.accounts.permissions import has_role, is_administrator, is_staff_in

from .models import Connection, Consent, Person, Purpose
from .models.connection import SHARED_STATES

WORKER_ROLES = (Role.CONNECTOR, Role.TEAM_LEAD)


def _scopes(user: Any) -> dict[tuple[int, str], set[int]]:
    """{(place, role): team or organisation ids}, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cache: dict[tuple[int, str], set[int]] | None = getattr(user, "_people_scopes", None)
    if cache is None:
        cache = {}
        rows = Membership.objects.filter(user=user).values_list("place_id", "role", "team_id", "organisation_id")
        for place_id, role, team_id, organisation_id in rows:
            scope = team_id if role in WORKER_ROLES else organisation_id
            if scope is not None:
                cache.setdefault((place_id, role), set()).add(scope)
        user._people_scopes = cache
    return cache


def team_ids(user: Any, place_id: int, roles: tuple[str, ...] = WORKER_ROLES) -> set[int]:
    """The teams whose caseload the user works on in a place."""
    scopes = _scopes(user)
    return set().union(*(scopes.get((place_id, role), set()) for role in roles))


def provider_organisation_ids(user: Any, place_id: int) -> set[int]:
    return set(_scopes(user).get((place_id, Role.PROVIDER), set()))


def can_view_caseload(user: Any, place_id: int) -> bool:
    return bool(team_ids(user, place_id))


def can_add_person(user: Any, place_id: int) -> bool:
    return can_view_caseload(user, place_id)


def is_own_record(user: Any, person: Person) -> bool:
    return getattr(user, "is_authenticated", False) and person.account_id is not None and person.account_id == user.pk


def works_with(user: Any, person: Person) -> bool:
    return person.team_id in team_ids(user, person.place_id)


def can_view_person(user: Any, person: Person) -> bool:
    if person.is_erased:
        return False
    return works_with(user, person) or is_own_record(user, person)


def can_edit_person(user: Any, person: Person) -> bool:
    """Workers of the team change the record; the person reads it (403 on changes, not 404)."""
    return not person.is_erased and works_with(user, person)


def can_export_person(user: Any, person: Person) -> bool:
    """A subject access export: the person themselves, or their team's workers answering the request."""
    return can_view_person(user, person)


def can_export_gp_record(user: Any, person: Person) -> bool:
    return can_edit_person(user, person)


def can_erase_person(user: Any, person: Person) -> bool:
    """Erasure is a team lead's or an administrator's decision, not a connector's."""
    if person.is_erased:
        return False
    leads = team_ids(user, person.place_id, (Role.TEAM_LEAD,))
    return person.team_id in leads or is_administrator(user, person.place_id)


def can_use_inbox(user: Any, place_id: int) -> bool:
    return bool(provider_organisation_ids(user, place_id))


def sharing_in_force(person_id: int, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return (
        Consent.objects.in_force()
        .filter(person_id=person_id, purpose=Purpose.SHARING, organisation_id=organisation_id)
        .exists()
    )


def can_answer_connection(user: Any, connection: Connection) -> bool:
    """A provider sees a connection made to its organisation once referred, while sharing consent lasts."""
    return (
        connection.provider_id in provider_organisation_ids(user, connection.place_id)
        and connection.status in SHARED_STATES
        and not connection.person.is_erased
        and sharing_in_force(connection.person_id, connection.provider_id)
    )


def can_view_wellbeing_summary(user: Any, place_id: int) -> bool:
    """Aggregates with small numbers suppressed: any staff of the place, analysts included."""
    return is_staff_in(user, place_id) or is_administrator(user, place_id)


def is_analyst_only(user: Any, place_id: int) -> bool:
    return has_role(user, place_id, Role.ANALYST) and not can_view_caseload(user, place_id)
