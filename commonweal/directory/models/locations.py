"""Where offers happen: locations (physical, postal or virtual), their addresses and accessibility."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Location(models.Model):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual (phone, online, home visits)")

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="directory_locations", verbose_name=_("place")
    )
    # Placed by its postcode, else by its coordinates; None for virtual locations and those outside the place.
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_locations",
        verbose_name=_("neighbourhood"),
    )
    oruk_id = models.CharField(_("ORUK id"), max_length=100)
    location_type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    name = models.CharField(_("name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(_("external identifier type"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["place", "oruk_id"], name="location_oruk_id_unique_in_place")]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or self.oruk_id

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Address(models.Model):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    oruk_id = models.CharField(_("ORUK id"), max_length=100)
    attention = models.CharField(_("for the attention of"), max_length=200, blank=True)
    address_1 = models.CharField(_("address line 1"), max_length=300)
    address_2 = models.CharField(_("address line 2"), max_length=300, blank=True)
    city = models.CharField(_("town or city"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True)
    state_province = models.CharField(_("county"), max_length=200, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=12)
    country = models.CharField(_("country"), max_length=2, default="GB")
    address_type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.PHYSICAL)

    class Meta:
        ordering = ["id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(part for part in (self.address_1, self.city, self.postal_code) if part)


class Accessibility(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    oruk_id = models.CharField(_("ORUK id"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility")

    def __str__(self) -> str:
        return self.description[:80]


class ServiceAtLocation(models.Model):
    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    oruk_id = models.CharField(_("ORUK id"), max_length=100)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_at_location_unique")]
        indexes = [models.Index(fields=["oruk_id"])]
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location}"
