"""A council's own everyday words for search: data an administrator edits, added to `synonyms.txt`.

Each row is one concept, like one line of `synonyms.txt`: the phrases people say in the place,
the words its listings use, and optionally taxonomy term codes. A place's rows are added to the
shipped vocabulary (which stays the default) for that place only.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..phrases import Concept, concept_of


class SearchPhrase(models.Model):
    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="directory_search_phrases", verbose_name=_("place")
    )
    phrase = models.CharField(
        _("everyday words"),
        max_length=500,
        help_text=_("What people say, comma-separated alternatives, e.g. “gone quiet, keeps to herself”."),
    )
    expands_to = models.CharField(
        _("listing words"),
        max_length=1000,
        blank=True,
        help_text=_("Words offers use for it, comma-separated, e.g. “befriending, lunch club”."),
    )
    taxonomy_codes = models.CharField(
        _("taxonomy term codes"),
        max_length=500,
        blank=True,
        help_text=_("Optional: codes of the terms such offers are filed under, comma-separated."),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["place", "phrase", "pk"]
        verbose_name = _("search phrase")
        verbose_name_plural = _("search phrases")

    def __str__(self) -> str:
        return f"{self.phrase} => {self.expands_to}"

    def clean(self) -> None:
        concept = self.concept()
        if not concept.phrases:
            raise ValidationError({"phrase": _("Give at least one phrase with a word in it.")})
        if not concept.expansions and not concept.taxonomy_codes:
            raise ValidationError(_("Give the listing words or taxonomy codes the phrase stands for."))

    def concept(self) -> Concept:
        return concept_of(self.phrase, self.expands_to, self.taxonomy_codes)
