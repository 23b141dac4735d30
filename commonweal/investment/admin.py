"""Admin: read and correct investment records. Writes that carry rules (awards, ballots) go through
the services and pages, so ballots and awards are read-only here."""

from django.contrib import admin

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "managed_by", "grant_id_prefix"]
    list_filter = ["place"]
    search_fields = ["name"]


@admin.register(models.Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "fund", "status", "closes_on"]
    list_filter = ["status", "place"]


@admin.register(models.Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "amount_pence", "award_date", "fund"]
    list_filter = ["place", "fund"]
    search_fields = ["title", "recipient__name"]


@admin.register(models.PBProcess)
class PBProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "stage", "ballot_type", "rule"]
    list_filter = ["place", "stage"]


@admin.register(models.Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["pk", "process", "cast_at", "changed_at"]
    list_filter = ["process"]
    exclude = ["voter"]  # how someone voted is secret, even from administrators


@admin.register(models.Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["place", "status"]
