"""Wellbeing instruments as data (ONS4 ships; SWEMWBS loads where a council holds the licence) and responses."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .person import Person


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source and licence"), blank=True)
    # Items and their bands: [{"code", "text", "min", "max", "higher_is_better",
    #   "bands": [{"label", "low", "high"}]}]. Validated by `commonweal.people.instruments`.
    items = models.JSONField(_("questions"))
    # An instrument whose total is meaningful (SWEMWBS) has total bands; ONS4 is reported item by item.
    total_bands = models.JSONField(_("bands of the total"), default=list, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wellbeing instrument")
        verbose_name_plural = _("wellbeing instruments")

    def __str__(self) -> str:
        return self.name

    def item(self, code: str) -> dict:  # type: ignore[type-arg]
        return next(i for i in self.items if i["code"] == code)


class WellbeingResponse(models.Model):
    """One completion of an instrument: at the first conversation (baseline) or a follow-up."""

    class Occasion(models.TextChoices):
        BASELINE = "baseline", _("First conversation")
        FOLLOW_UP = "follow_up", _("Follow-up")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wellbeing", verbose_name=_("person"))
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    taken_on = models.DateField(_("date"))
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion.choices)
    scores = models.JSONField(_("answers"))  # {item code: whole number}
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["taken_on", "id"]
        indexes = [
            models.Index(fields=["person", "taken_on"], name="wellbeing_person_date"),
            models.Index(fields=["place", "instrument"], name="wellbeing_place"),
        ]
        verbose_name = _("wellbeing response")
        verbose_name_plural = _("wellbeing responses")

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.taken_on} ({self.person.label})"
