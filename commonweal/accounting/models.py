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


def default_relative_income() -> dict[str, float]:
    # Household income in each IMD decile relative to the place's median, before a council sets its own:
    # an illustrative gradient (most deprived decile at about 60% of the median), stated on every account.
    return {str(d): round(0.6 + 0.08 * (d - 1), 2) for d in range(1, 11)}


class AccountAssumptions(models.Model):
    """The choices behind a place's account, as data an administrator edits (one row per place).

    Every account states them, so a reader can see what the figures rest on.
    """

    place = models.OneToOneField("places.Place", on_delete=models.CASCADE, related_name="account_assumptions")
    counterfactual_change = models.FloatField(
        _("life satisfaction change without support (0-10 scale)"),
        default=0.2,
        help_text=_("what people's life satisfaction would have done anyway (e.g. regression to the mean)"),
    )
    counterfactual_source = models.CharField(
        _("source of the counterfactual"),
        max_length=300,
        blank=True,
        default="Stated assumption: a comparison group's change, to be replaced by local evidence",
    )
    deadweight = models.FloatField(_("deadweight (0-1)"), default=0.0)
    attribution = models.FloatField(_("share attributable to others (0-1)"), default=0.25)
    duration_years = models.FloatField(_("years a wellbeing gain lasts"), default=1.0)
    drop_off = models.FloatField(_("drop-off a year (0-1)"), default=0.5)
    price_year = models.PositiveSmallIntegerField(_("price year"), default=2024)
    draws = models.PositiveIntegerField(_("Monte Carlo draws"), default=2000)
    relative_income = models.JSONField(
        _("household income by IMD decile, relative to the median"), default=default_relative_income
    )
    relative_income_source = models.CharField(
        _("source of the income ratios"),
        max_length=300,
        blank=True,
        default="Illustrative gradient; replace with ONS small-area income estimates",
    )

    class Meta:
        verbose_name = _("account assumptions")
        verbose_name_plural = _("account assumptions")

    def __str__(self) -> str:
        return f"Account assumptions for {self.place}"


class OutcomeRule(models.Model):
    """How an activity turns into valued outcomes: e.g. each sustained connection avoids 1.5 GP appointments.

    The value comes from a value set (the valuation engine's default set or one a council loads),
    by its id, so the figure, its price year and its source travel with it.
    """

    class Activity(models.TextChoices):
        CONVERSATIONS = "conversations", _("Conversations held")
        PEOPLE_SUPPORTED = "people_supported", _("People supported")
        CONNECTIONS_MADE = "connections_made", _("Connections made")
        CONNECTIONS_SUSTAINED = "connections_sustained", _("Connections sustained")
        HOURS_GIVEN = "hours_given", _("Hours given")

    class Category(models.TextChoices):
        FISCAL = "fiscal", _("Fiscal (a public body saves)")
        ECONOMIC = "economic", _("Economic")
        SOCIAL = "social", _("Social")

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="outcome_rules")
    name = models.CharField(_("outcome"), max_length=200)
    activity = models.CharField(_("from"), max_length=30, choices=Activity.choices)
    value_id = models.CharField(_("value id"), max_length=60, help_text=_("e.g. GMCA-UCD-HE20.2"))
    quantity_low = models.FloatField(_("per unit of activity, low"))
    quantity = models.FloatField(_("per unit of activity, central"))
    quantity_high = models.FloatField(_("per unit of activity, high"))
    category = models.CharField(_("kind of value"), max_length=10, choices=Category.choices)
    deadweight = models.FloatField(_("deadweight (0-1)"), default=0.0)
    attribution = models.FloatField(_("attribution to others (0-1)"), default=0.0)
    source = models.CharField(_("evidence for the quantity"), max_length=300)

    class Meta:
        ordering = ["name"]
        verbose_name = _("outcome rule")
        verbose_name_plural = _("outcome rules")

    def __str__(self) -> str:
        return self.name


class AccountSnapshot(models.Model):
    """A built account, kept so its pages render fast; rebuilt on request or by `build_account`."""

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="account_snapshots")
    level = models.CharField(max_length=20)
    area_code = models.CharField(max_length=40, blank=True)
    start = models.DateField()
    end = models.DateField()
    built_at = models.DateTimeField(auto_now=True)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["place", "level", "area_code", "start", "end"], name="account_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.level} {self.area_code} {self.start}..{self.end}"
