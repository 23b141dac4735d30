"""'Different conversations' and the plans co-produced from them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .person import Person


class LifeDomain(models.TextChoices):
    """Plain labels a person would use, not service categories (no thresholds hang off them)."""

    HOME = "home", _("Home")
    MONEY = "money", _("Money")
    WORK = "work", _("Work and volunteering")
    LEARNING = "learning", _("Learning and skills")
    HEALTH = "health", _("Health")
    MIND = "mind", _("Feeling well in myself")
    RELATIONSHIPS = "relationships", _("Family and friends")
    COMMUNITY = "community", _("Being part of the community")
    GETTING_ABOUT = "getting_about", _("Getting about")
    SAFETY = "safety", _("Feeling safe")
    CARING = "caring", _("Caring for someone")
    FOOD = "food", _("Food")


class Setting(models.TextChoices):
    HOME = "home", _("At home")
    COMMUNITY = "community", _("Community venue")
    GP = "gp", _("GP practice or health centre")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    OTHER = "other", _("Somewhere else")


class Conversation(models.Model):
    """What matters to a person, in their words: strengths first, then worries and what they want to change."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("person"))
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    held_on = models.DateField(_("date"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("worker"),
    )
    with_whom = models.CharField(_("who was there"), max_length=200, blank=True)
    setting = models.CharField(_("where"), max_length=12, choices=Setting.choices)
    what_matters = models.TextField(_("what matters to them"))
    skills = models.TextField(_("skills"), blank=True)
    interests = models.TextField(_("interests"), blank=True)
    relationships = models.TextField(_("relationships and people who help"), blank=True)
    worries = models.TextField(_("worries"), blank=True)
    want_to_change = models.TextField(_("what they want to change"), blank=True)
    life_domains = models.JSONField(_("life domains"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["person", "-held_on"], name="conversation_person_date")]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.person.label})"

    def get_absolute_url(self) -> str:
        return reverse(
            "people:conversation",
            kwargs={"place_code": self.place.code, "pk": self.person_id, "conversation": self.pk},
        )

    @property
    def domain_labels(self) -> list[str]:
        labels = dict(LifeDomain.choices)
        return [str(labels[d]) for d in self.life_domains if d in labels]


class Plan(models.Model):
    """A person's plan: goals in their words, each with steps saying whose part it is."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FINISHED = "finished", _("Finished")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="plan", verbose_name=_("person"))
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Every change to the plan, its goals or steps raises the version; a change made from an older
    # version is refused, so two workers cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"plan of {self.person.label}"

    def get_absolute_url(self) -> str:
        return reverse("people:plan", kwargs={"place_code": self.place.code, "pk": self.person_id})


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan"))
    description = models.TextField(_("goal, in their words"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return f"goal {self.pk}"


class Step(models.Model):
    """One step towards a goal: 'your part, our part' says who owns it."""

    class Owner(models.TextChoices):
        PERSON = "person", _("Their part")
        WORKER = "worker", _("Our part")
        OTHER = "other", _("Someone else's part")

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        STARTED = "started", _("Started")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("No longer needed")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps", verbose_name=_("goal"))
    description = models.TextField(_("step"))
    owner = models.CharField(_("whose part"), max_length=10, choices=Owner.choices)
    other_party = models.CharField(_("who else"), max_length=200, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    progress = models.CharField(_("progress"), max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"step {self.pk}"

    @property
    def owner_label(self) -> str:
        if self.owner == self.Owner.OTHER and self.other_party:
            return self.other_party
        return str(self.get_owner_display())

    @property
    def is_open(self) -> bool:
        return self.progress in (self.Progress.NOT_STARTED, self.Progress.STARTED)
