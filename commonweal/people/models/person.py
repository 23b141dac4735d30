"""A person supported by workers in a place, their consents, and the record kept when they ask to be erased."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..nhs import format_nhs_number, validate_nhs_number


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Home visit")


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> "PersonQuerySet":
        return self.filter(status=Person.Status.ACTIVE)


class Person(models.Model):
    """A resident supported in a place. There are no eligibility fields: anyone may be supported."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Being supported")
        CLOSED = "closed", _("Closed")
        ERASED = "erased", _("Erased on request")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="people", verbose_name=_("place"))
    # The caseload the record belongs to: its team's workers are the people with a legitimate relationship.
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="caseload", verbose_name=_("team"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("lead worker"),
    )
    # The resident's own account, when they have one: they read and download their record through it.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_record",
        verbose_name=_("resident's account"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("neighbourhood"),
    )
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True, validators=[validate_nhs_number])
    contact_methods = models.JSONField(_("how they like to be contacted"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    next_contact_on = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # Optimistic concurrency: an edit carries the version it started from.
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["team", "status", "next_contact_on", "id"], name="person_caseload"),
            models.Index(fields=["place", "status"], name="person_place_status"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:person", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def label(self) -> str:
        """What the audit trail and logs call this record: never a name."""
        return f"person {self.pk}"

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    @property
    def is_erased(self) -> bool:
        return self.status == self.Status.ERASED

    def follow_up_due(self, today: date | None = None) -> bool:
        return self.next_contact_on is not None and self.next_contact_on <= (today or timezone.localdate())


class Purpose(models.TextChoices):
    SUPPORT = "support", _("Support from the team")
    SHARING = "sharing", _("Sharing with a named organisation")
    RESEARCH = "research", _("Contact for research")


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1). Special category data (health) also needs an Article 9 condition, noted in `notes`."""

    CONSENT = "consent", _("Consent (Article 6(1)(a))")
    CONTRACT = "contract", _("Contract (Article 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (Article 6(1)(c))")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (Article 6(1)(d))")
    PUBLIC_TASK = "public_task", _("Public task (Article 6(1)(e))")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests (Article 6(1)(f))")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self) -> "ConsentQuerySet":
        return self.filter(withdrawn_on=None)


class Consent(models.Model):
    """Agreement (or another lawful basis) for one purpose; withdrawing it stops what it covers."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person"))
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    # Sharing is always with a named organisation, never "partners" in general.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    lawful_basis = models.CharField(_("lawful basis"), max_length=24, choices=LawfulBasis.choices)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "-given_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(purpose="sharing") | models.Q(organisation__isnull=False),
                name="consent_sharing_names_an_organisation",
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.person.label})"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


class PracticePolicy(models.Model):
    """A place's choices for relational practice: data an administrator edits, not settings."""

    place = models.OneToOneField(
        "places.Place", on_delete=models.CASCADE, related_name="practice_policy", verbose_name=_("place")
    )
    response_days = models.PositiveSmallIntegerField(_("days a provider has to answer a referral"), default=10)
    follow_up_days = models.PositiveSmallIntegerField(_("days to the next follow-up by default"), default=28)
    sustained_weeks = models.PositiveSmallIntegerField(
        _("weeks of attending before a connection counts as sustained"), default=12
    )

    class Meta:
        verbose_name = _("relational practice policy")
        verbose_name_plural = _("relational practice policies")

    def __str__(self) -> str:
        return str(_("Relational practice policy"))


class Erasure(models.Model):
    """What was erased on a person's request, when, and what was kept because the law requires it."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    # Kept by id without a constraint: the stub record stays, but the erasure must outlive any later clean-up.
    person_id_erased = models.PositiveBigIntegerField(_("person record number"))
    requested_on = models.DateField(_("request received on"))
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed = models.JSONField(_("what was removed (counts)"), default=dict)
    kept = models.JSONField(_("what was kept and why"), default=list)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"erasure of person {self.person_id_erased}"
