"""Funds: pots of money with contributions from several partners (pooled budgets).

A fund's balance is never stored: it is always the sum of its contributions less what it has
committed in awards, so it cannot drift from the awards and payments it is made of.
"""

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# 360Giving publisher prefixes look like 360G-wigancouncil (registered with 360Giving).
validate_grant_prefix = RegexValidator(
    r"^360G-[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)*$",
    _("A 360Giving prefix looks like 360G-wigancouncil (letters, digits, dots, underscores and hyphens)."),
)


class Fund(models.Model):
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="funds", verbose_name=_("place"))
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), help_text=_("What the fund is for, in a few sentences."))
    outcomes_sought = models.TextField(_("outcomes sought"), blank=True)
    districts = models.ManyToManyField(
        "places.District",
        blank=True,
        related_name="funds",
        verbose_name=_("districts"),
        help_text=_("Leave empty for the whole place."),
    )
    managed_by = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="managed_funds",
        verbose_name=_("managed by"),
        help_text=_("The funder of record, who publishes the fund's grants."),
    )
    grant_id_prefix = models.CharField(
        _("360Giving prefix"), max_length=60, validators=[validate_grant_prefix], help_text=_("e.g. 360G-wigancouncil")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("investment:fund", kwargs={"place_code": self.place.code, "pk": self.pk})

    def balance(self) -> "FundBalance":
        return FundBalance.of(self)


class FundBalance:
    """A fund's money at a glance: in, committed to awards, paid out, and still free to award."""

    def __init__(self, contributed: int, committed: int, paid: int) -> None:
        self.contributed = contributed
        self.committed = committed
        self.paid = paid

    @classmethod
    def of(cls, fund: Fund) -> "FundBalance":
        contributed = fund.contributions.aggregate(total=Sum("amount_pence"))["total"] or 0
        committed = fund.awards.aggregate(total=Sum("amount_pence"))["total"] or 0
        paid = fund.awards.aggregate(total=Sum("payments__amount_pence"))["total"] or 0
        return cls(contributed, committed, paid)

    @property
    def available(self) -> int:
        """Free to award: contributions less every award made (paid or not)."""
        return self.contributed - self.committed

    @property
    def held(self) -> int:
        """Cash still in the pot: contributions less payments made."""
        return self.contributed - self.paid

    @property
    def owed(self) -> int:
        """Awarded but not yet paid."""
        return self.committed - self.paid


class Contribution(models.Model):
    """Money a partner (council, NHS body, business, trust) puts into a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("fund"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="fund_contributions",
        verbose_name=_("partner"),
    )
    amount_pence = models.BigIntegerField(_("amount (pence)"))
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_pence__gt=0), name="contribution_positive")]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"{self.organisation} to {self.fund}"

    @property
    def place(self) -> Any:
        # The audit trail files a record under its place.
        return self.fund.place
