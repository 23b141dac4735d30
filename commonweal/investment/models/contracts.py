"""Joint commissioning and alliances: one contract, several commissioners' shares, several providers,
and outcomes they share and measure together."""

from typing import Any

from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Contract(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Contract with one provider")
        ALLIANCE = "alliance", _("Alliance contract (several providers, one budget, shared outcomes)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        DECOMMISSIONED = "decommissioned", _("Decommissioned")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it buys"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ALLIANCE)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.ACTIVE)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            )
        ]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("investment:contract", kwargs={"place_code": self.place.code, "pk": self.pk})

    def cost_pence(self) -> int:
        """The contract's whole value: the sum of the commissioners' shares."""
        return self.shares.aggregate(total=Sum("amount_pence"))["total"] or 0


class CommissionerShare(models.Model):
    """What one commissioner (council, NHS body) puts into a jointly commissioned contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    amount_pence = models.BigIntegerField(_("amount (pence)"))

    class Meta:
        ordering = ["-amount_pence", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_pence__gt=0), name="commissioner_share_positive"),
            models.UniqueConstraint(fields=["contract", "organisation"], name="one_share_per_commissioner"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.contract}"

    @property
    def place(self) -> Any:
        return self.contract.place


class ContractProvider(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead provider")
        MEMBER = "member", _("Alliance member")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="providers")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["contract", "organisation"], name="one_place_per_provider")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.contract}"

    @property
    def place(self) -> Any:
        return self.contract.place


class SharedOutcome(models.Model):
    """An outcome every partner in the contract works towards, with its measure and target."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("outcome"), max_length=200)
    measure = models.CharField(_("how it is measured"), max_length=200)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> Any:
        return self.contract.place


class OutcomeMeasurement(models.Model):
    outcome = models.ForeignKey(SharedOutcome, on_delete=models.CASCADE, related_name="measurements")
    period_end = models.DateField(_("period ending"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["period_end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "period_end"], name="one_measurement_per_outcome_period")
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.value} ({self.period_end})"

    @property
    def place(self) -> Any:
        return self.outcome.contract.place
