"""Admin: policy and instruments are edited here; people's records are read-only (changes go through services)."""

from django.contrib import admin

from .models import Erasure, Instrument, PracticePolicy


@admin.register(PracticePolicy)
class PracticePolicyAdmin(admin.ModelAdmin):
    list_display = ["place", "response_days", "follow_up_days", "sustained_weeks"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    readonly_fields = ["items", "total_bands"]  # loaded from a checked file by `load_wellbeing_instrument`


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["person_id_erased", "place", "requested_on", "erased_at"]
    list_filter = ["place"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
