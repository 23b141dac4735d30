"""The time bank: members give and receive hours; every exchange is a double-entry hour transfer.

A member's balance is the sum of their postings (kept on the member for the limit check). The
database refuses a balance beyond the member's limits, so two exchanges confirmed at the same moment
cannot together overdraw an account on SQLite or PostgreSQL; services also lock the rows
(`select_for_update`) to give a clear message first.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sectors import one_party


class TimeBankPolicy(models.Model):
    """A place's time-bank rules, as data an administrator edits (the defaults suit most banks)."""

    place = models.OneToOneField("places.Place", on_delete=models.CASCADE, related_name="time_bank_policy")
    # Members may receive up to 10 hours before giving any (a common time-bank "overdraft").
    floor_minutes = models.IntegerField(_("lowest balance (minutes, 0 or below)"), default=-600)
    ceiling_minutes = models.PositiveIntegerField(_("highest balance (minutes)"), default=6000)
    max_exchange_minutes = models.PositiveIntegerField(_("longest single exchange (minutes)"), default=600)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(floor_minutes__lte=0), name="time_bank_policy_floor_not_positive")
        ]
        verbose_name = _("time bank policy")
        verbose_name_plural = _("time bank policies")

    def __str__(self) -> str:
        return f"{self.place}: {self.floor_minutes}..{self.ceiling_minutes} minutes"


class TimeBankMember(models.Model):
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="time_bank_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="time_bank_members"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="time_bank_members"
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    balance_minutes = models.IntegerField(_("balance (minutes)"), default=0)
    # Copied from the policy when the member joins, so an administrator can change one member's limits.
    floor_minutes = models.IntegerField(_("lowest balance (minutes)"))
    ceiling_minutes = models.IntegerField(_("highest balance (minutes)"))
    joined_at = models.DateTimeField(_("joined on"), default=timezone.now)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=one_party(), name="time_bank_member_one_party"),
            models.CheckConstraint(
                condition=models.Q(balance_minutes__gte=models.F("floor_minutes")),
                name="time_bank_balance_not_below_floor",
            ),
            models.CheckConstraint(
                condition=models.Q(balance_minutes__lte=models.F("ceiling_minutes")),
                name="time_bank_balance_not_above_ceiling",
            ),
            models.UniqueConstraint(
                fields=["place", "user"], condition=models.Q(user__isnull=False), name="time_bank_one_membership_user"
            ),
            models.UniqueConstraint(
                fields=["place", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="time_bank_one_membership_organisation",
            ),
        ]
        verbose_name = _("time bank member")
        verbose_name_plural = _("time bank members")

    def __str__(self) -> str:
        return str(self.organisation or self.user)

    @property
    def balance_hours(self) -> float:
        return self.balance_minutes / 60


class Listing(models.Model):
    """A skill a member offers, or help a member asks for."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    member = models.ForeignKey(TimeBankMember, on_delete=models.CASCADE, related_name="listings")
    kind = models.CharField(_("offer or request"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("skill or help"), max_length=200)
    description = models.TextField(_("more detail"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("time bank listing")
        verbose_name_plural = _("time bank listings")

    def __str__(self) -> str:
        return self.title


class Exchange(models.Model):
    """Time given by one member (the provider) to another (the recipient), confirmed by both."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for confirmation")
        COMPLETED = "completed", _("Confirmed by both")
        DECLINED = "declined", _("Declined")

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="exchanges")
    provider = models.ForeignKey(TimeBankMember, on_delete=models.PROTECT, related_name="given")
    recipient = models.ForeignKey(TimeBankMember, on_delete=models.PROTECT, related_name="received")
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.CharField(_("what was done"), max_length=300)
    listing = models.ForeignKey(Listing, on_delete=models.SET_NULL, null=True, blank=True, related_name="exchanges")
    occurred_on = models.DateField(_("when"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(TimeBankMember, on_delete=models.PROTECT, related_name="+")
    provider_confirmed_at = models.DateTimeField(null=True, blank=True)
    recipient_confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="exchange_minutes_positive"),
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("recipient")), name="exchange_between_two_members"
            ),
        ]
        indexes = [models.Index(fields=["place", "status", "occurred_on"])]
        verbose_name = _("time bank exchange")
        verbose_name_plural = _("time bank exchanges")

    def __str__(self) -> str:
        return f"{self.minutes / 60:g} h: {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("deal:exchange", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def hours(self) -> float:
        return self.minutes / 60


class HourPosting(models.Model):
    """One side of an hour transfer: the provider +minutes, the recipient -minutes."""

    exchange = models.ForeignKey(Exchange, on_delete=models.PROTECT, related_name="postings")
    member = models.ForeignKey(TimeBankMember, on_delete=models.PROTECT, related_name="postings")
    minutes = models.IntegerField()
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(minutes=0), name="hour_posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.member}: {self.minutes:+d} min"
