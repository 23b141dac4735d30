"""The admin site: a place's policy as data (time-bank limits, time rates), and read-only views of the books.

Ledger rows, postings and exchanges change only through the services (so the books stay balanced and audited);
here they are read-only.
"""

from typing import Any

from django.contrib import admin

from .models import Contribution, Exchange, MoneyPosting, Pledge, TimeBankMember, TimeBankPolicy, ValuationRate


@admin.register(TimeBankPolicy)
class TimeBankPolicyAdmin(admin.ModelAdmin):
    list_display = ["place", "floor_minutes", "ceiling_minutes", "max_exchange_minutes"]


@admin.register(ValuationRate)
class ValuationRateAdmin(admin.ModelAdmin):
    """Rates are added on the ledger's rates page; editing one here would rewrite what it meant."""

    list_display = ["place", "valid_from", "pence_per_hour", "basis", "price_year"]
    list_filter = ["place", "basis"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["title", "place", "sector", "organisation", "status", "is_public"]
    list_filter = ["place", "sector", "status"]
    search_fields = ["title"]
    raw_id_fields = ["user", "organisation", "group", "district", "neighbourhood"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["given_on", "place", "sector", "kind", "value_pence", "minutes", "source", "voided_at"]
    list_filter = ["place", "sector", "kind", "source"]
    search_fields = ["external_id", "description", "contributor_label"]


@admin.register(MoneyPosting)
class MoneyPostingAdmin(ReadOnlyAdmin):
    list_display = ["contribution", "account", "amount_pence", "posted_at"]


@admin.register(TimeBankMember)
class TimeBankMemberAdmin(admin.ModelAdmin):
    """Limits may be changed for one member; balances only move through exchanges."""

    list_display = ["pk", "place", "balance_minutes", "floor_minutes", "ceiling_minutes", "is_active"]
    list_filter = ["place", "is_active"]
    readonly_fields = ["place", "user", "organisation", "balance_minutes", "joined_at"]


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "place", "minutes", "status"]
    list_filter = ["place", "status"]
