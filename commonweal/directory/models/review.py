"""Changes an organisation proposes to its offers, which show only once a directory administrator approves them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfferChange(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a check")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Sent back")

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="directory_offer_changes", verbose_name=_("place")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="directory_offer_changes",
        verbose_name=_("organisation"),
    )
    # None for a new offer; the offer itself changes only when the proposal is approved.
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("offer"),
    )
    # The form's cleaned values (plain JSON types), applied as they are on approval.
    proposed = models.JSONField(_("proposed details"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed on"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    reviewed_at = models.DateTimeField(_("checked on"), null=True, blank=True)
    review_note = models.TextField(_("note from the checker"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["place", "status"])]
        verbose_name = _("proposed offer change")
        verbose_name_plural = _("proposed offer changes")

    def __str__(self) -> str:
        return str(self.proposed.get("name", ""))[:200]

    def get_absolute_url(self) -> str:
        return reverse("directory:change", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
