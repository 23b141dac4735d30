"""The audit trail: an append-only record of who read or changed what, when and why.

Rows are written only by `commonweal.audit.services.record` (called from every app's services and
from views that show a person's record). Nothing in the app edits or deletes them: the model refuses,
the queryset refuses, the admin is read-only, and a database trigger refuses updates on both SQLite
and PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit event."""


class Action(models.TextChoices):
    VIEWED = "viewed", _("viewed")
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    DELETED = "deleted", _("deleted")
    EXPORTED = "exported", _("exported")
    IMPORTED = "imported", _("imported")
    SIGNED_IN = "signed_in", _("signed in")
    SIGNED_OUT = "signed_out", _("signed out")
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    GRANTED = "granted", _("granted")
    REVOKED = "revoked", _("revoked")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AuditTrailIsAppendOnly("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    # The actor is kept by id with no database constraint, so erasing a user never rewrites history;
    # actor_label keeps a readable name for the administrator reading the trail.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True, editable=False)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        editable=False,
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    object_repr = models.CharField(_("object"), max_length=200, blank=True, editable=False)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, editable=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["place", "-at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AuditTrailIsAppendOnly("audit events cannot be changed once written")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditTrailIsAppendOnly("audit events cannot be deleted")
