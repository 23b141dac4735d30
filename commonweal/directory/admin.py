from django.contrib import admin

from .models import Location, OfferChange, SearchPhrase, Service, Taxonomy, TaxonomyTerm


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "place", "status", "last_modified"]
    list_filter = ["place", "status"]
    search_fields = ["name", "oruk_id", "organisation__name"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["oruk_id", "search_text", "source_hash"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "location_type", "place", "neighbourhood"]
    list_filter = ["place", "location_type"]
    search_fields = ["name", "oruk_id"]
    raw_id_fields = ["neighbourhood"]


@admin.register(OfferChange)
class OfferChangeAdmin(admin.ModelAdmin):
    # Decisions are taken on the directory's own pages, which write the audit trail.
    list_display = ["__str__", "organisation", "place", "status", "proposed_at"]
    list_filter = ["place", "status"]
    readonly_fields = [f.name for f in OfferChange._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "oruk_id"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "taxonomy", "parent"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code", "oruk_id"]
    raw_id_fields = ["parent"]


@admin.register(SearchPhrase)
class SearchPhraseAdmin(admin.ModelAdmin):
    # A council's own everyday words, added to synonyms.txt for its place; search reads a change at once.
    list_display = ["phrase", "expands_to", "taxonomy_codes", "place", "active", "updated_at"]
    list_filter = ["place", "active"]
    list_editable = ["active"]
    search_fields = ["phrase", "expands_to", "taxonomy_codes"]
    readonly_fields = ["updated_at"]
