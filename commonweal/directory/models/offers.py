"""Offers (ORUK services) and what describes them: areas, costs, funding, schedules, contacts, languages."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ListedOrganisation(models.Model):
    """The ORUK id under which an `accounts.Organisation` is published (one identity, never a copy)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="directory_listing"
    )
    oruk_id = models.CharField(_("ORUK id"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("listed organisation")
        verbose_name_plural = _("listed organisations")

    def __str__(self) -> str:
        return f"{self.organisation_id} as {self.oruk_id}"


class Service(models.Model):
    """An offer: something a person can join, use or get help from."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="directory_services", verbose_name=_("place")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="directory_services",
        verbose_name=_("organisation"),
    )
    oruk_id = models.CharField(_("ORUK id"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees_description = models.TextField(_("fees"), blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    # Eligibility: the UK profile keeps ages on the service and drops HSDS's eligibility table;
    # the description travels as an extension field, as in the sample export.
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    assured_date = models.DateField(_("assured on"), null=True, blank=True)
    assurer_email = models.EmailField(_("assured by (email)"), blank=True)
    alert = models.TextField(_("alert"), blank=True)
    last_modified = models.DateTimeField(_("last modified"))
    # What full-text search reads: name, description, eligibility, terms with their ancestors, places.
    # Kept current by `commonweal.directory.indexing`; the database indexes it (FTS5 / tsvector).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # The imported record's fingerprint: a re-import of an unchanged service writes nothing.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "oruk_id"], name="service_oruk_id_unique_in_place"),
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_minimum_age_not_above_maximum",
            ),
        ]
        indexes = [models.Index(fields=["place", "status"]), models.Index(fields=["oruk_id"])]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:offer", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def accepts_age(self, age: int | None) -> bool:
        if age is None:
            return True
        return (self.minimum_age is None or age >= self.minimum_age) and (
            self.maximum_age is None or age <= self.maximum_age
        )


class _ServicePart(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="%(class)ss")
    oruk_id = models.CharField(_("ORUK id"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["id"]


class ServiceArea(_ServicePart):
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=50, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)

    class Meta(_ServicePart.Meta):
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name or self.extent


class CostOption(_ServicePart):
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = models.CharField(_("option"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    amount_description = models.CharField(_("amount description"), max_length=300, blank=True)

    class Meta(_ServicePart.Meta):
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")

    def __str__(self) -> str:
        return self.amount_description or self.option

    @property
    def is_free(self) -> bool:
        return self.amount is not None and self.amount == 0


class Funding(_ServicePart):
    source = models.CharField(_("source"), max_length=300)

    class Meta(_ServicePart.Meta):
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")

    def __str__(self) -> str:
        return self.source


class Schedule(_ServicePart):
    """When an offer runs: RFC 5545-style recurrence, or just a description ("By appointment")."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("Weekly")
        MONTHLY = "MONTHLY", _("Monthly")

    service_at_location = models.ForeignKey(
        "directory.ServiceAtLocation", on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.CharField(_("starts"), max_length=40, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, choices=Freq.choices, blank=True)
    interval = models.PositiveSmallIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("days"), max_length=100, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=100, blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    schedule_link = models.URLField(_("booking link"), max_length=500, blank=True)
    attending_type = models.CharField(_("attending type"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(_ServicePart.Meta):
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday}"


class Contact(_ServicePart):
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta(_ServicePart.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.title


class Language(_ServicePart):
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(_ServicePart.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name or self.code


class Attribute(models.Model):
    """A taxonomy term attached to a service or a location (ORUK `attribute`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes")
    location = models.ForeignKey(
        "directory.Location", on_delete=models.CASCADE, null=True, blank=True, related_name="attributes"
    )
    taxonomy_term = models.ForeignKey(
        "directory.TaxonomyTerm", on_delete=models.CASCADE, related_name="attributes", verbose_name=_("term")
    )
    oruk_id = models.CharField(_("ORUK id"), max_length=100)
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service__isnull=False) | models.Q(location__isnull=False),
                name="attribute_links_a_service_or_location",
            )
        ]
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")

    def __str__(self) -> str:
        return str(self.taxonomy_term_id)
