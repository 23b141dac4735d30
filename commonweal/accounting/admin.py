from django.contrib import admin

from .models import AccountAssumptions, IndicatorSeries, OutcomeRule


@admin.register(AccountAssumptions)
class AccountAssumptionsAdmin(admin.ModelAdmin):
    list_display = ["place", "counterfactual_change", "attribution", "deadweight", "price_year", "draws"]


@admin.register(OutcomeRule)
class OutcomeRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "activity", "value_id", "quantity", "category"]
    list_filter = ["place", "category"]


@admin.register(IndicatorSeries)
class IndicatorSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "statistic", "improvement"]
    list_filter = ["place", "statistic"]
