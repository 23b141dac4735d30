"""Outcomes a place tracks: indicator series and their observations by neighbourhood, age and period.

The account itself (resources in, activity, value, fairness) is computed from what the other
apps record; only the outcome data imported here is stored by this app.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Start ages of the 20 life-table bands (0, 1-4, 5-9 ... 90+); DSR folds 0 and 1-4 into 0-4.
AGE_STARTS = (0, 1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)


class IndicatorSeries(models.Model):
    class Statistic(models.TextChoices):
        RATE = "rate", _("Crude rate")
        PROPORTION = "proportion", _("Proportion")
        DSR = "dsr", _("Directly standardised rate")
        LIFE_EXPECTANCY = "life_expectancy", _("Life expectancy")
        HEALTHY_LIFE_EXPECTANCY = "healthy_life_expectancy", _("Healthy life expectancy")

    class Improvement(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")
        NEUTRAL = "neutral", _("Neither")

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="indicator_series")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    statistic = models.CharField(_("statistic"), max_length=30, choices=Statistic.choices)
    multiplier = models.PositiveIntegerField(
        _("per"), default=100_000, help_text=_("rates per this many people; 100 makes a proportion a percentage")
    )
    improvement = models.CharField(
        _("improvement"), max_length=10, choices=Improvement.choices, default=Improvement.DECREASE
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["place", "code"], name="indicator_series_code_in_place")]
        verbose_name = _("indicator series")
        verbose_name_plural = _("indicator series")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounting:indicator", kwargs={"place_code": self.place.code, "code": self.code})

    @property
    def by_age(self) -> bool:
        return self.statistic in {
            self.Statistic.DSR,
            self.Statistic.LIFE_EXPECTANCY,
            self.Statistic.HEALTHY_LIFE_EXPECTANCY,
        }


class IndicatorObservation(models.Model):
    """Events (deaths, admissions, people in good health) and population in one neighbourhood."""

    series = models.ForeignKey(IndicatorSeries, on_delete=models.CASCADE, related_name="observations")
    period = models.DateField(_("period start"))
    neighbourhood = models.ForeignKey("places.Neighbourhood", on_delete=models.CASCADE, related_name="+")
    age_start = models.PositiveSmallIntegerField(_("age band start"), null=True, blank=True)
    numerator = models.FloatField(_("count"))
    denominator = models.FloatField(_("population"))
    # Healthy life expectancy: survey respondents in good health, and all respondents, in the band.
    good_health = models.FloatField(_("in good health"), null=True, blank=True)
    respondents = models.PositiveIntegerField(_("respondents"), null=True, blank=True)

    class Meta:
        # NULLs are distinct in unique indexes on both databases, hence one constraint per case.
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period", "neighbourhood", "age_start"],
                condition=models.Q(age_start__isnull=False),
                name="indicator_observation_unique_by_age",
            ),
            models.UniqueConstraint(
                fields=["series", "period", "neighbourhood"],
                condition=models.Q(age_start__isnull=True),
                name="indicator_observation_unique_all_ages",
            ),
        ]
        indexes = [models.Index(fields=["series", "period"])]
        verbose_name = _("indicator observation")
        verbose_name_plural = _("indicator observations")

    def __str__(self) -> str:
        age = f" age {self.age_start}+" if self.age_start is not None else ""
        return f"{self.series_id} {self.period} {self.neighbourhood_id}{age}"
