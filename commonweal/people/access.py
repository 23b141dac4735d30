"""Fetching a person's record for a page or an export: through a permission check, and into the audit trail.

Every read of a person's record goes through `person_for` (or `connection_for_provider`), so the
trail shows who looked, when and why. The trail names the record by number only.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from commonweal.audit.models import Action
from commonweal.audit.services import record

from .models import Connection, Person
from .permissions import can_answer_connection, can_edit_person, can_view_person

# The purposes the trail records. Plain words an administrator or the person can read.
DIRECT_SUPPORT = "direct support"
OWN_RECORD = "their own record"
SUBJECT_ACCESS = "subject access request"
GP_RECORD = "GP record"
PROVIDER_RESPONSE = "answering a referral"
ERASURE = "erasure request"


def people_in(place_code: str) -> QuerySet[Person]:
    return Person.objects.select_related("place", "team", "neighbourhood", "worker").filter(
        place__code=place_code.upper()
    )


def person_for(
    user: Any,
    place_code: str,
    pk: int,
    *,
    purpose: str = DIRECT_SUPPORT,
    write: bool = False,
    check: Any = None,
) -> Person:
    """The person, if the user may see them (404 otherwise) and change them when `write` (403 otherwise).

    `check` replaces the view predicate for pages with a narrower rule (erasure, exports).
    """
    person = get_object_or_404(people_in(place_code), pk=pk)
    allowed = check(user, person) if check else can_view_person(user, person)
    if not allowed:
        # A resident reading their own record may not change it: that is read-only (403), not absent.
        if check and can_view_person(user, person):
            raise PermissionDenied
        raise Http404
    if write and not can_edit_person(user, person):
        raise PermissionDenied
    record(user, Action.VIEWED, person, purpose=purpose, object_repr=person.label)
    return person


def connection_for_provider(user: Any, place_code: str, pk: int) -> Connection:
    connection = get_object_or_404(
        Connection.objects.select_related("person", "place", "provider", "service", "group", "volunteer").filter(
            place__code=place_code.upper()
        ),
        pk=pk,
    )
    if not can_answer_connection(user, connection):
        raise Http404
    record(
        user,
        Action.VIEWED,
        connection.person,
        purpose=PROVIDER_RESPONSE,
        object_repr=connection.person.label,
        detail={"connection": connection.pk},
    )
    return connection
