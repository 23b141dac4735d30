"""Participatory budgeting: residents propose, officers check, residents vote, a rule decides.

The council's choices (ballot type, limits, rule, tie-breaking) are data on the process, fixed
before voting opens; the rule is one of `commonweal.engines.voting`'s.
"""

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Residence(models.Model):
    """Where a resident lives, for deciding which PB processes they may vote in.

    The resident gives a postcode in the place (which puts them in a neighbourhood); an officer
    verifies it. Only verified residences count: one account per person is the officer's check.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="residences")
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+", verbose_name=_("place"))
    postcode = models.CharField(_("postcode"), max_length=8)
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood", on_delete=models.PROTECT, related_name="+", verbose_name=_("neighbourhood")
    )
    declared_at = models.DateTimeField(_("given"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "place"], name="one_residence_per_user_per_place")]
        verbose_name = _("residence")
        verbose_name_plural = _("residences")

    def __str__(self) -> str:
        return f"residence {self.pk}"  # never the person's name or postcode: this goes into the audit trail

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approval: tick the projects you support")
    KNAPSACK = "knapsack", _("Knapsack: choose projects that fit within the budget")
    CUMULATIVE = "cumulative", _("Points: share out your points between projects")


class Rule(models.TextChoices):
    MES_ADD1 = "mes_add1", _("Method of Equal Shares (completed by raising the budget, as the cities run it)")
    MES_ADD1_GREEDY = "mes_add1_greedy", _("Method of Equal Shares, then leftover money by votes")
    MES = "mes", _("Method of Equal Shares, without completion")
    GREEDY = "greedy", _("Most votes first, while the money lasts (greedy)")


class TieBreaking(models.TextChoices):
    LEXICOGRAPHIC = "lexicographic", _("The smaller project number (as text) first")
    MIN_COST = "min-cost", _("The cheaper project first")
    MOST_SUPPORTERS = "most-supporters", _("The project with more supporters first")


class PBProcess(models.Model):
    class Stage(models.TextChoices):
        DRAFT = "draft", _("Being set up")
        PROPOSING = "proposing", _("Taking proposals")
        CHECKING = "checking", _("Officers are checking proposals")
        VOTING = "voting", _("Voting is open")
        CLOSED = "closed", _("Voting has closed")
        PUBLISHED = "published", _("Results published")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    districts = models.ManyToManyField(
        "places.District",
        blank=True,
        related_name="+",
        verbose_name=_("districts"),
        help_text=_("Who may propose and vote: residents of these districts (none: the whole place)."),
    )
    fund = models.ForeignKey(
        "investment.Fund", on_delete=models.SET_NULL, null=True, blank=True, related_name="pb_processes"
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    budget_pence = models.BigIntegerField(_("budget (pence)"))
    ballot_type = models.CharField(_("ballot"), max_length=12, choices=BallotType.choices, default=BallotType.APPROVAL)
    min_choices = models.PositiveSmallIntegerField(_("fewest projects on a ballot"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("most projects on a ballot"), null=True, blank=True)
    max_points_per_project = models.PositiveSmallIntegerField(_("most points for one project"), null=True, blank=True)
    total_points = models.PositiveSmallIntegerField(_("points each voter shares out"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices, default=Rule.MES_ADD1)
    tie_breaking = models.CharField(
        _("tie-breaking"), max_length=20, choices=TieBreaking.choices, default=TieBreaking.LEXICOGRAPHIC
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT)
    voting_closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    # A pabulib file's META, column lists and original vote type, kept so an import exports as it came.
    pabulib_meta = models.JSONField(default=list, blank=True)
    pabulib_project_columns = models.JSONField(default=list, blank=True)
    pabulib_vote_columns = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_pence__gt=0), name="pb_budget_positive"),
            models.CheckConstraint(
                condition=models.Q(max_choices__isnull=True) | models.Q(max_choices__gte=models.F("min_choices")),
                name="pb_max_choices_at_least_min",
            ),
            models.CheckConstraint(
                condition=~models.Q(ballot_type="cumulative") | models.Q(total_points__gt=0),
                name="pb_points_ballot_has_points",
            ),
        ]
        verbose_name = _("participatory budgeting process")
        verbose_name_plural = _("participatory budgeting processes")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("investment:pb_process", kwargs={"place_code": self.place.code, "pk": self.pk})

    @property
    def is_imported(self) -> bool:
        return bool(self.pabulib_meta)

    def voting_is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.stage == self.Stage.VOTING and (self.voting_closes_at is None or now < self.voting_closes_at)


class PBProject(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for checks")
        FEASIBLE = "feasible", _("On the ballot")
        NOT_FEASIBLE = "not_feasible", _("Not on the ballot")

    class Delivery(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Delivered")

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    process = models.ForeignKey(PBProcess, on_delete=models.CASCADE, related_name="projects", verbose_name=_("process"))
    code = models.CharField(_("project number"), max_length=40)
    position = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    estimated_cost_pence = models.BigIntegerField(_("estimated cost (pence)"), null=True, blank=True)
    cost_pence = models.BigIntegerField(_("checked cost (pence)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    check_notes = models.TextField(_("officers' notes"), blank=True)
    selected = models.BooleanField(_("funded"), default=False)
    delivery = models.CharField(_("delivery"), max_length=12, choices=Delivery.choices, default=Delivery.NOT_STARTED)
    pabulib_fields = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="pb_project_code_unique_in_process"),
            models.CheckConstraint(
                condition=~models.Q(status="feasible") | models.Q(cost_pence__isnull=False),
                name="pb_feasible_project_has_a_cost",
            ),
        ]
        verbose_name = _("PB project")
        verbose_name_plural = _("PB projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("investment:pb_project", kwargs={"place_code": self.place.code, "pk": self.pk})


class Ballot(models.Model):
    """One voter's ballot: a resident's own (changeable until the close) or one read from a pabulib file."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    process = models.ForeignKey(PBProcess, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("process"))
    voter = models.ForeignKey("accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    external_id = models.CharField(_("voter id in the file"), max_length=60, blank=True)
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pabulib_fields = models.JSONField(default=dict, blank=True)
    cast_at = models.DateTimeField(_("cast"), default=timezone.now)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # The database itself refuses a second ballot from the same resident.
            models.UniqueConstraint(
                fields=["process", "voter"], condition=models.Q(voter__isnull=False), name="one_ballot_per_voter"
            ),
            models.UniqueConstraint(
                fields=["process", "external_id"], condition=~models.Q(external_id=""), name="one_ballot_per_file_voter"
            ),
            models.CheckConstraint(
                condition=models.Q(voter__isnull=False, external_id="")
                | models.Q(voter__isnull=True) & ~models.Q(external_id=""),
                name="ballot_has_a_voter_or_a_file_id",
            ),
        ]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return f"ballot {self.pk}"


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(PBProject, on_delete=models.CASCADE, related_name="choices")
    points = models.PositiveIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["ballot", "project"], name="one_choice_per_project_per_ballot")]

    def __str__(self) -> str:
        return f"choice {self.pk}"


class PBResult(models.Model):
    """What the rule chosen in advance decided, with the engine's explanation, as published."""

    process = models.OneToOneField(PBProcess, on_delete=models.CASCADE, related_name="result")
    rule = models.CharField(_("rule"), max_length=200)
    selected = models.JSONField(_("selected project numbers"), default=list)
    cost_pence = models.BigIntegerField(_("cost (pence)"))
    voters = models.PositiveIntegerField(_("voters"))
    explanation = models.TextField(_("explanation"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("PB result")
        verbose_name_plural = _("PB results")

    def __str__(self) -> str:
        return f"result of {self.process}"

    @property
    def place(self) -> Any:
        return self.process.place


class Milestone(models.Model):
    """A step in delivering a funded project, shown to residents."""

    project = models.ForeignKey(PBProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> Any:
        return self.project.place
