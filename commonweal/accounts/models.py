"""People who sign in, the organisations they belong to, their teams and their roles in a place.

One identity per real thing (DESIGN.md rule 6): every app points at `Organisation` for councils,
NHS bodies, VCSE organisations, businesses and community groups, and at `User` for anyone who acts
for themselves. A user's roles are held per place through `Membership`.
"""

import re

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("a user needs an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


# Org-id.guide prefixes for the UK registers we meet: charities, companies, local authorities,
# NHS bodies, mutuals and schools. 360Giving and Open Referral both use these identifiers.
ORG_ID = re.compile(r"^(GB|XI)-[A-Z]{2,6}-[A-Za-z0-9.\-]{1,40}$")


def validate_org_id(value: str) -> None:
    if not ORG_ID.match(value):
        raise ValidationError(
            _("%(value)s is not an organisation identifier like GB-CHC-1234567 or GB-COH-01234567"),
            params={"value": value},
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        NHS = "nhs", _("NHS body")
        VCSE = "vcse", _("Voluntary, community or social enterprise organisation")
        BUSINESS = "business", _("Business")
        COMMUNITY_GROUP = "community_group", _("Community group")
        OTHER_PUBLIC = "other_public", _("Other public body")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The primary identifier (org-id.guide style); others are kept as a list (a charity that is also a company).
    identifier = models.CharField(
        _("identifier"),
        max_length=60,
        blank=True,
        validators=[validate_org_id],
        help_text=_("e.g. GB-CHC-1234567"),
    )
    other_identifiers = models.JSONField(_("other identifiers"), default=list, blank=True)
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("home place"),
        help_text=_("the place whose administrators look after this record"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"],
                condition=~models.Q(identifier=""),
                name="organisation_identifier_unique",
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", kwargs={"pk": self.pk})


class Team(models.Model):
    """A team of workers in a place (a connectors' team, a social prescribing team)."""

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="teams", verbose_name=_("organisation")
    )
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="teams", verbose_name=_("place"))
    district = models.ForeignKey(
        "places.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("district"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:team", kwargs={"pk": self.pk})


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    CONNECTOR = "connector", _("Community connector")
    TEAM_LEAD = "team_lead", _("Team lead")
    PROVIDER = "provider", _("VCSE provider")
    COMMISSIONER = "commissioner", _("Commissioner")
    PANEL_MEMBER = "panel_member", _("Panel member")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that act for a team or organisation must say which.
ROLES_NEEDING_TEAM = {Role.CONNECTOR, Role.TEAM_LEAD}
ROLES_NEEDING_ORGANISATION = {Role.PROVIDER}


class Membership(models.Model):
    """A user's role in a place, for a team or organisation where the role needs one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("place")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        ordering = ["place", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "place", "role", "team", "organisation"],
                name="membership_unique",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} ({self.place_id})"

    def clean(self) -> None:
        if self.role in ROLES_NEEDING_TEAM and self.team_id is None:
            raise ValidationError({"team": _("A %(role)s belongs to a team.") % {"role": self.get_role_display()}})
        if self.role in ROLES_NEEDING_ORGANISATION and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("A %(role)s acts for an organisation.") % {"role": self.get_role_display()}}
            )
        if self.team_id and self.team.place_id != self.place_id:
            raise ValidationError({"team": _("The team works in another place.")})
