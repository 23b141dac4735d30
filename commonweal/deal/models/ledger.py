"""The resources ledger: every contribution to a place's social value, from every sector, valued.

Amounts are integer pence in GBP (no floats, no other currency). Time is stored in whole minutes and
valued at the council's rate for its date; the rate, its basis and its source are copied onto each
contribution, so history does not change when the council changes the rate. Where money moves, two
postings (giver -amount, receiver +amount) record it: the postings of every contribution sum to zero.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sectors import Sector

CURRENCY = "GBP"


class Basis(models.TextChoices):
    CASH = "cash", _("Cash at face value")
    REPLACEMENT_COST = "replacement_cost", _("Replacement cost (what paying someone to do it would cost)")
    OPPORTUNITY_COST = "opportunity_cost", _("Opportunity cost (what the giver would otherwise earn)")
    LIVING_WAGE = "living_wage", _("Living wage")
    MARKET_VALUE = "market_value", _("Market value (what it would cost to buy or hire)")
    STATED_VALUE = "stated_value", _("Value stated by the giver")


TIME_BASES = [Basis.REPLACEMENT_COST, Basis.OPPORTUNITY_COST, Basis.LIVING_WAGE]


class ValuationRate(models.Model):
    """The council's rate for valuing an hour of given time, in force from a date until the next one.

    Rates are added, never edited: a new rate from a new date keeps every earlier valuation as it was.
    """

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="valuation_rates", verbose_name=_("place")
    )
    valid_from = models.DateField(_("in force from"))
    pence_per_hour = models.PositiveIntegerField(_("pence per hour"))
    basis = models.CharField(_("basis"), max_length=30, choices=[(b.value, b.label) for b in TIME_BASES])
    price_year = models.CharField(_("price year"), max_length=9, help_text=_("e.g. 2024 or 2024/25"))
    source = models.TextField(_("source"))
    created_at = models.DateTimeField(_("recorded on"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["place", "valid_from"], name="valuation_rate_one_per_day"),
            models.CheckConstraint(condition=models.Q(pence_per_hour__gt=0), name="valuation_rate_positive"),
        ]
        verbose_name = _("time valuation rate")
        verbose_name_plural = _("time valuation rates")

    def __str__(self) -> str:
        return f"£{self.pence_per_hour / 100:.2f}/h from {self.valid_from}"


class Contribution(models.Model):
    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        TIME = "time", _("Time")
        IN_KIND = "in_kind", _("In kind")

    class InKind(models.TextChoices):
        SPACE = "space", _("Space")
        EQUIPMENT = "equipment", _("Equipment")
        FOOD = "food", _("Food")
        MATERIALS = "materials", _("Materials")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Recorded on the site")
        CONTRIBUTIONS_CSV = "contributions_csv", _("Contributions import")
        VOLUNTEER_HOURS_CSV = "volunteer_hours_csv", _("Volunteer hours import")
        TIMEBANK = "timebank", _("Time bank")
        DEMO = "demo", _("Demo data")

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="contributions", verbose_name=_("place")
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    # Who gave: an organisation, a resident, or (imports of pooled volunteer hours) only a label.
    contributor_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("contributing organisation"),
    )
    contributor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("contributing resident"),
    )
    contributor_label = models.CharField(_("contributor (as recorded)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    in_kind_category = models.CharField(_("in-kind category"), max_length=20, choices=InKind.choices, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    given_on = models.DateField(_("given on"))
    minutes = models.PositiveIntegerField(_("minutes of time"), default=0)
    amount_pence = models.BigIntegerField(
        _("amount (pence)"), null=True, blank=True, help_text=_("money given, or the stated value of an in-kind gift")
    )
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY)
    # The valuation, frozen when recorded.
    value_pence = models.BigIntegerField(_("value (pence)"))
    rate_pence_per_hour = models.PositiveIntegerField(_("rate (pence per hour)"), null=True, blank=True)
    valuation_basis = models.CharField(_("valuation basis"), max_length=30, choices=Basis.choices)
    valuation_source = models.TextField(_("valuation source"), blank=True)
    # Where it went in: a neighbourhood (and so its district), a district only, or the whole place.
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("district")
    )
    # What it supported: an offer in the directory, a group or organisation, a pledge.
    # A grant link arrives with the investment app (a nullable FK added then; nothing here assumes it).
    supported_service = models.ForeignKey(
        "directory.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("offer supported"),
    )
    supported_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions_received",
        verbose_name=_("group or organisation supported"),
    )
    supported_pledge = models.ForeignKey(
        "deal.Pledge",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("pledge it keeps"),
    )
    exchange = models.OneToOneField(
        "deal.Exchange", on_delete=models.PROTECT, null=True, blank=True, related_name="contribution"
    )
    source = models.CharField(_("source"), max_length=30, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded on"), default=timezone.now)
    # Mistakes are voided, not deleted, so the ledger keeps its history (money postings are reversed).
    voided_at = models.DateTimeField(_("voided on"), null=True, blank=True)
    void_reason = models.CharField(_("why it was voided"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(currency=CURRENCY), name="contribution_currency_gbp"),
            models.CheckConstraint(condition=models.Q(value_pence__gte=0), name="contribution_value_not_negative"),
            models.CheckConstraint(
                condition=models.Q(amount_pence__isnull=True) | models.Q(amount_pence__gte=0),
                name="contribution_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="money") | models.Q(amount_pence__gt=0, value_pence=models.F("amount_pence")),
                name="contribution_money_is_valued_at_face_value",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="time") | models.Q(minutes__gt=0, rate_pence_per_hour__isnull=False),
                name="contribution_time_has_minutes_and_rate",
            ),
            models.CheckConstraint(
                condition=models.Q(contributor_organisation__isnull=True) | models.Q(contributor_user__isnull=True),
                name="contribution_at_most_one_contributor",
            ),
            models.UniqueConstraint(
                fields=["place", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="contribution_reference_unique_per_source",
            ),
        ]
        # Both indexes hold only live rows (every total and list leaves voided ones out).
        indexes = [
            # Covers the grouped totals (`resources_in`, the ledger's summary): the period is a range on
            # `given_on`, and every grouped, filtered and summed column is in the index, so no table reads.
            models.Index(
                fields=[
                    "place",
                    "given_on",
                    "sector",
                    "kind",
                    "district",
                    "neighbourhood",
                    "value_pence",
                    "minutes",
                    "voided_at",  # always null here, but SQLite reads the index alone only if it has every column
                ],
                condition=models.Q(voided_at__isnull=True),
                name="contribution_totals_idx",
            ),
            # The ledger's list, newest first, read a page at a time from a (date, id) cursor.
            models.Index(
                fields=["place", "-given_on", "-id"],
                condition=models.Q(voided_at__isnull=True),
                name="contribution_newest_idx",
            ),
        ]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on}: £{self.value_pence / 100:,.2f}"

    def get_absolute_url(self) -> str:
        return reverse("deal:contribution", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def contributor_name(self) -> str:
        party = self.contributor_organisation or self.contributor_user
        return str(party) if party is not None else self.contributor_label


class LedgerAccount(models.Model):
    """A party's money account in a place: an organisation, a resident, the place itself, or pooled givers.

    `key` names the owner ("org:12", "user:5", "place", "pool:residents") so each has one account.
    """

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+", verbose_name=_("place"))
    key = models.CharField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["place", "key"], name="ledger_account_key_unique")]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self) -> str:
        return self.name


class MoneyPosting(models.Model):
    """One side of a money movement: the giver's account -amount, the receiver's +amount."""

    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="postings")
    amount_pence = models.BigIntegerField(_("amount (pence)"))
    posted_at = models.DateTimeField(_("posted on"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(amount_pence=0), name="money_posting_not_zero")]
        verbose_name = _("money posting")
        verbose_name_plural = _("money postings")

    def __str__(self) -> str:
        return f"{self.account}: {self.amount_pence:+d}p"
