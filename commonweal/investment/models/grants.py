"""Grants on trust: open rounds, short applications, panel decisions, awards, payments and reports."""

import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .funds import Fund


class Round(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not open yet")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("fund"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what we want to fund"))
    max_amount_pence = models.BigIntegerField(_("largest grant (pence)"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("investment:round", kwargs={"place_code": self.place.code, "pk": self.pk})

    def is_accepting(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and (self.closes_on is None or today <= self.closes_on)


class Application(models.Model):
    """A light-touch application: a few lines and an amount; the rest is conversation."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the panel")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Not funded")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="applications", verbose_name=_("round"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("applicant"),
    )
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by")
    )
    title = models.CharField(_("what it is for, in a line"), max_length=150)
    summary = models.TextField(_("a few sentences about it"), max_length=1500)
    amount_requested_pence = models.BigIntegerField(_("amount asked for (pence)"))
    duration_months = models.PositiveSmallIntegerField(
        _("over how many months"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    unrestricted = models.BooleanField(_("unrestricted"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="one_application_per_organisation_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_requested_pence__gt=0), name="application_amount_positive"
            ),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("investment:application", kwargs={"place_code": self.place.code, "pk": self.pk})


class ConversationNote(models.Model):
    """Notes of a conversation with an applicant or grantee, instead of a long written bid or report."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="notes", verbose_name=_("application")
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("what was said"), max_length=4000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("conversation note")
        verbose_name_plural = _("conversation notes")

    def __str__(self) -> str:
        return f"note {self.pk}"


class Award(models.Model):
    """A grant made: published as 360Giving data (never naming an individual)."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="awards", verbose_name=_("fund"))
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="award", verbose_name=_("application")
    )
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="grants_received", verbose_name=_("recipient")
    )
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    amount_pence = models.BigIntegerField(_("amount (pence)"))
    award_date = models.DateField(_("award date"))
    start_date = models.DateField(_("starts"))
    duration_months = models.PositiveSmallIntegerField(_("months"))
    unrestricted = models.BooleanField(_("unrestricted"), default=True)

    class Meta:
        ordering = ["-award_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_pence__gt=0), name="award_amount_positive"),
            models.UniqueConstraint(fields=["fund", "reference"], name="award_reference_unique_in_fund"),
        ]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("investment:award", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def grant_id(self) -> str:
        """The 360Giving identifier: the publisher's prefix and this award's reference."""
        return f"{self.fund.grant_id_prefix}-{self.reference}"

    @property
    def end_date(self) -> datetime.date:
        from commonweal.investment.dates import add_months

        return add_months(self.start_date, self.duration_months)

    @property
    def is_multi_year(self) -> bool:
        return self.duration_months > 12


class Payment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments", verbose_name=_("award"))
    amount_pence = models.BigIntegerField(_("amount (pence)"))
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_pence__gt=0), name="payment_positive")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"payment {self.pk} of {self.award}"

    @property
    def place(self) -> Any:
        return self.award.place


class GrantReport(models.Model):
    """Reporting by conversation: what the grantee told us, plus a few outcome figures."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports", verbose_name=_("award"))
    conversation_on = models.DateField(_("conversation on"))
    notes = models.TextField(_("what we heard"), max_length=4000)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["conversation_on", "pk"]
        verbose_name = _("grant report")
        verbose_name_plural = _("grant reports")

    def __str__(self) -> str:
        return f"report {self.pk} on {self.award}"

    @property
    def place(self) -> Any:
        return self.award.place


class ReportFigure(models.Model):
    report = models.ForeignKey(GrantReport, on_delete=models.CASCADE, related_name="figures", verbose_name=_("report"))
    label = models.CharField(_("what was counted"), max_length=150)
    value = models.DecimalField(_("figure"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outcome figure")
        verbose_name_plural = _("outcome figures")

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"
