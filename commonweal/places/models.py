"""Places: the tenant (a local authority or partnership), its districts and neighbourhoods (LSOAs).

Every place-bound record in Commonweal points at a `Place`, and where it has a location, at a
`Neighbourhood`. Deprivation (IMD 2019) lives on the neighbourhood so any figure can be broken down
by decile.
"""

from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The seven IoD2019 domains, in the order MHCLG publishes them: (field prefix, label).
DOMAINS = [
    ("income", _("Income")),
    ("employment", _("Employment")),
    ("education", _("Education, skills and training")),
    ("health", _("Health deprivation and disability")),
    ("crime", _("Crime")),
    ("barriers", _("Barriers to housing and services")),
    ("living_env", _("Living environment")),
]


class Place(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        PARTNERSHIP = "partnership", _("Partnership")

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. E08000010 for Wigan"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LOCAL_AUTHORITY)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:place", kwargs={"place_code": self.code})


class District(models.Model):
    """A place-based working footprint (30,000-50,000 people), made of neighbourhoods."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="districts", verbose_name=_("place"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["place", "code"], name="district_code_unique_in_place")]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:district", kwargs={"place_code": self.place.code, "district_code": self.code})

    @property
    def population(self) -> int:
        return self.neighbourhoods.aggregate(total=Sum("population"))["total"] or 0


def _decile_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class Neighbourhood(models.Model):
    """A Lower-layer Super Output Area (LSOA), with its IMD 2019 deprivation."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="neighbourhoods", verbose_name=_("place"))
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="neighbourhoods",
        verbose_name=_("district"),
    )
    code = models.CharField(_("LSOA code"), max_length=9)
    name = models.CharField(_("name"), max_length=200)
    imd_score = models.FloatField(_("IMD score"), null=True, blank=True)
    imd_rank = models.PositiveIntegerField(_("IMD rank (1 = most deprived)"), null=True, blank=True)
    imd_decile = _decile_field(_("IMD decile (1 = most deprived)"))
    income_decile = _decile_field(_("income decile"))
    employment_decile = _decile_field(_("employment decile"))
    education_decile = _decile_field(_("education decile"))
    health_decile = _decile_field(_("health decile"))
    crime_decile = _decile_field(_("crime decile"))
    barriers_decile = _decile_field(_("barriers decile"))
    living_env_decile = _decile_field(_("living environment decile"))
    population = models.PositiveIntegerField(_("population"), default=0)
    # GeoJSON geometry (Polygon or MultiPolygon, WGS84). Plain JSON keeps SQLite and PostgreSQL alike.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["place", "code"], name="neighbourhood_code_unique_in_place"),
            models.CheckConstraint(
                condition=models.Q(imd_decile__isnull=True) | models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="neighbourhood_imd_decile_1_to_10",
            ),
        ]
        indexes = [models.Index(fields=["place", "imd_decile"])]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("places:neighbourhood", kwargs={"place_code": self.place.code, "lsoa_code": self.code})

    @property
    def domain_deciles(self) -> list[tuple[str, int | None]]:
        return [(label, getattr(self, f"{prefix}_decile")) for prefix, label in DOMAINS]


class Postcode(models.Model):
    """A postcode in a place, placed in its neighbourhood, with its coordinates."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="postcodes", verbose_name=_("place"))
    postcode = models.CharField(_("postcode"), max_length=8, help_text=_("normalised, e.g. WN1 1AA"))
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="postcodes", verbose_name=_("neighbourhood")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # Terminated postcodes are kept: older records and letters still carry them.
    terminated = models.BooleanField(_("terminated"), default=False)

    class Meta:
        ordering = ["postcode"]
        constraints = [models.UniqueConstraint(fields=["place", "postcode"], name="postcode_unique_in_place")]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")

    def __str__(self) -> str:
        return self.postcode
