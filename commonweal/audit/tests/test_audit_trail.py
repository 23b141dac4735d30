import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from commonweal.audit.models import AuditEvent, AuditTrailIsAppendOnly
from commonweal.audit.services import events_for, record


@pytest.fixture
def event(place, administrator):
    return record(administrator, "viewed", place, purpose="checking the map")


def test_recording_keeps_who_what_when_and_why(event, administrator, place):
    assert event.actor == administrator
    assert event.actor_label == administrator.email
    assert (event.object_type, event.object_id, event.place) == ("places.place", str(place.pk), place)
    assert event.purpose == "checking the map"
    assert list(events_for(place).filter(action="viewed")) == [event]


def test_an_unknown_action_is_refused(place):
    with pytest.raises(ValueError, match="unknown audit action"):
        record(None, "tampered", place)


def test_an_event_cannot_be_changed_or_deleted_through_the_model(event):
    event.purpose = "something else"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()


def test_events_cannot_be_changed_or_deleted_in_bulk(event):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_to_rewrite_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).purpose == "checking the map"


def test_the_admin_can_read_but_not_add_change_or_delete(event, administrator):
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = administrator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_anonymous_actors_are_recorded_as_nobody(place):
    from django.contrib.auth.models import AnonymousUser

    event = record(AnonymousUser(), "viewed", place)
    assert (event.actor, event.actor_label) == (None, "")
