"""Pledges: what each party to the Deal promises, to whom, by when, how progress shows, and its updates."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sectors import Sector, one_party


class Pledge(models.Model):
    class Scope(models.TextChoices):
        PLACE = "place", _("The whole place")
        DISTRICT = "district", _("A district")
        NEIGHBOURHOOD = "neighbourhood", _("A neighbourhood")
        GROUP = "group", _("A group or organisation")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        KEPT = "kept", _("Kept")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="pledges", verbose_name=_("place"))
    # The party: an organisation (council, NHS, VCSE, business, group) or a resident acting for themselves.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("resident"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("the order of a party's pledges, e.g. the council's eight")
    )
    title = models.CharField(_("what is promised"), max_length=200)
    description = models.TextField(_("more detail"), blank=True)
    scope = models.CharField(_("to whom"), max_length=20, choices=Scope.choices, default=Scope.PLACE)
    district = models.ForeignKey(
        "places.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    group = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges_received",
        verbose_name=_("group or organisation"),
    )
    due_by = models.DateField(_("by when"), null=True, blank=True)
    progress_measure = models.TextField(_("how progress will show"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Residents choose whether their name is shown; by default the public page says "a resident".
    show_name = models.BooleanField(_("show my name on the public Deal page"), default=False)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("made on"), default=timezone.now)
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)

    class Meta:
        ordering = ["number", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=one_party(), name="pledge_has_one_party"),
            models.CheckConstraint(
                condition=~models.Q(scope="district") | models.Q(district__isnull=False),
                name="pledge_district_scope_names_a_district",
            ),
            models.CheckConstraint(
                condition=~models.Q(scope="neighbourhood") | models.Q(neighbourhood__isnull=False),
                name="pledge_neighbourhood_scope_names_a_neighbourhood",
            ),
            models.CheckConstraint(
                condition=~models.Q(scope="group") | models.Q(group__isnull=False),
                name="pledge_group_scope_names_a_group",
            ),
        ]
        indexes = [models.Index(fields=["place", "sector", "status"])]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deal:pledge", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def party(self) -> object:
        return self.organisation or self.user

    def public_party_name(self) -> str:
        """The name the public page shows: an organisation's name, or a resident's only if they chose so."""
        if self.organisation_id:
            return self.organisation.name  # type: ignore[union-attr]
        if self.show_name and self.user is not None:
            return self.user.get_full_name()
        return str(_("A resident"))

    def to_whom(self) -> str:
        target = {
            self.Scope.DISTRICT: self.district,
            self.Scope.NEIGHBOURHOOD: self.neighbourhood,
            self.Scope.GROUP: self.group,
        }.get(self.Scope(self.scope))
        return str(target) if target is not None else str(self.place)


class PledgeUpdate(models.Model):
    """A public note on how a pledge is going, written by its party."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="updates", verbose_name=_("pledge"))
    text = models.TextField(_("update"))
    status = models.CharField(_("status after this update"), max_length=20, choices=Pledge.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pledge update")
        verbose_name_plural = _("pledge updates")

    def __str__(self) -> str:
        return f"{self.pledge}: {self.created_at:%Y-%m-%d}"
