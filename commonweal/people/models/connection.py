"""Connections: a person linked to an offer, a group or another person, through their lifecycle.

In NHS terms a connection is a social prescribing referral, so records carry the SNOMED CT codes
GP systems use for it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .person import Person

SNOMED_REFERRAL = "871731000000106"
SNOMED_DECLINED = "871711000000103"
SNOMED_TERMS = {
    SNOMED_REFERRAL: "Referral to social prescribing service",
    SNOMED_DECLINED: "Social prescribing declined",
}


class Status(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ATTENDED = "attended", _("Attended")
    SUSTAINED = "sustained", _("Sustained")
    ENDED = "ended", _("Ended")


# Which moves are allowed from each state. Declined and ended are final: a new try is a new connection.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.SUGGESTED: (Status.REFERRED, Status.ENDED),
    Status.REFERRED: (Status.ACCEPTED, Status.DECLINED, Status.ENDED),
    Status.ACCEPTED: (Status.ATTENDED, Status.ENDED),
    Status.ATTENDED: (Status.SUSTAINED, Status.ENDED),
    Status.SUSTAINED: (Status.ENDED,),
    Status.DECLINED: (),
    Status.ENDED: (),
}
# What a provider may do with a connection made to its offers.
PROVIDER_TRANSITIONS = {Status.ACCEPTED, Status.DECLINED, Status.ATTENDED, Status.SUSTAINED, Status.ENDED}
# States in which the provider has been told about the person.
SHARED_STATES = (Status.REFERRED, Status.ACCEPTED, Status.DECLINED, Status.ATTENDED, Status.SUSTAINED, Status.ENDED)


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Finished what they came for")
    NOT_WANTED = "not_wanted", _("No longer wanted")
    NOT_SUITABLE = "not_suitable", _("Not right for them")
    MOVED = "moved", _("Moved away")
    OFFER_CLOSED = "offer_closed", _("The offer closed")
    NO_CONTACT = "no_contact", _("Could not make contact")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to share was withdrawn")
    OTHER = "other", _("Another reason")


class Connection(models.Model):
    class Kind(models.TextChoices):
        OFFER = "offer", _("An offer in the directory")
        GROUP = "group", _("A community group")
        PERSON = "person", _("A person (for example a volunteer)")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="connections", verbose_name=_("person"))
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    kind = models.CharField(_("connected to"), max_length=10, choices=Kind.choices)
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="connections",
        verbose_name=_("offer"),
    )
    group = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("volunteer"),
    )
    # The organisation that answers the referral (the offer's organisation, or the group itself):
    # its provider users see the connection in their inbox. Kept here so the inbox is one indexed query.
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="connections_received",
        verbose_name=_("provider"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    snomed_code = models.CharField(_("SNOMED CT code"), max_length=18, blank=True)
    reason = models.TextField(_("why this connection"), blank=True)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    respond_by = models.DateField(_("answer due by"), null=True, blank=True)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    response_note = models.TextField(_("provider's note"), blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    attended_on = models.DateField(_("first attended on"), null=True, blank=True)
    sustained_on = models.DateField(_("sustained on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason.choices, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="offer", service__isnull=False, group__isnull=True, volunteer__isnull=True)
                | models.Q(kind="group", service__isnull=True, group__isnull=False, volunteer__isnull=True)
                | models.Q(kind="person", service__isnull=True, group__isnull=True, volunteer__isnull=False)
                # After erasure or removal a target may be gone; the kind still says what it was.
                | models.Q(service__isnull=True, group__isnull=True, volunteer__isnull=True),
                name="connection_has_one_target_of_its_kind",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "status", "respond_by"], name="connection_inbox"),
            models.Index(fields=["person", "-created_at"], name="connection_person"),
        ]
        verbose_name = _("connection")
        verbose_name_plural = _("connections")

    def __str__(self) -> str:
        return f"connection {self.pk} ({self.person.label})"

    def get_absolute_url(self) -> str:
        return reverse(
            "people:connection", kwargs={"place_code": self.place.code, "pk": self.person_id, "connection": self.pk}
        )

    def get_inbox_url(self) -> str:
        return reverse("people:inbox_connection", kwargs={"place_code": self.place.code, "connection": self.pk})

    @property
    def target_name(self) -> str:
        if self.kind == self.Kind.OFFER and self.service_id:
            return self.service.name
        if self.kind == self.Kind.GROUP and self.group_id:
            return self.group.name
        if self.kind == self.Kind.PERSON and self.volunteer_id:
            return self.volunteer.full_name
        return str(_("(removed)"))

    @property
    def snomed_term(self) -> str:
        return SNOMED_TERMS.get(self.snomed_code, "")

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]

    @property
    def is_open(self) -> bool:
        return bool(TRANSITIONS[self.status])

    def answer_overdue(self, today=None) -> bool:  # type: ignore[no-untyped-def]
        today = today or timezone.localdate()
        return self.status == Status.REFERRED and self.respond_by is not None and self.respond_by < today


class ConnectionEvent(models.Model):
    """Each move of a connection, for its history on the person's timeline and the GP record."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    on = models.DateField(_("on"))
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    snomed_code = models.CharField(_("SNOMED CT code"), max_length=18, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("connection event")
        verbose_name_plural = _("connection events")

    def __str__(self) -> str:
        return f"{self.status} {self.on}"


def default_respond_by(referred_on, days: int):  # type: ignore[no-untyped-def]
    return referred_on + timedelta(days=days)
