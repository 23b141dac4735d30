"""Vocabularies that classify offers (ALISS categories, OpenActive activities, a council's own).

Taxonomies are shared reference data, like a dictionary: one copy serves every place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Taxonomy(models.Model):
    oruk_id = models.CharField(_("ORUK id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    oruk_id = models.CharField(_("ORUK id"), max_length=100, unique=True)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.CASCADE, null=True, blank=True, related_name="terms", verbose_name=_("taxonomy")
    )
    # Feeds that name a taxonomy without describing it (v1.0 "vocabulary") keep its name here.
    taxonomy_name = models.CharField(_("taxonomy name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200)
    term = models.CharField(_("term"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    term_uri = models.URLField(_("term URI"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.name
