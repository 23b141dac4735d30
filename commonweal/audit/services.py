"""Writing the audit trail. Every app's service functions call `record`."""

from typing import Any

from django.db import models

from .models import Action, AuditEvent


def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    place: Any = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event to the audit trail.

    ``object_repr`` defaults to ``str(obj)``; pass a non-identifying label for a person's record
    (the trail must not become a second copy of personal data).
    ``place`` defaults to ``obj.place`` where the object has one, so administrators see their place's events.
    """
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if place is None and obj is not None:
        # A place is its own place; anything else knows its place through its `place` relation.
        place = obj if obj._meta.label_lower == "places.place" else getattr(obj, "place", None)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=actor,
        actor_label=(actor.get_username() if actor else "")[:254],
        place=place,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(str(obj) if object_repr is None and obj is not None else object_repr or "")[:200],
        purpose=purpose[:200],
        detail=detail or {},
    )
    event.save()
    return event


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    """The trail of one object, newest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
