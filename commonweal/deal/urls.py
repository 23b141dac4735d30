from django.urls import path

from . import views

app_name = "deal"
prefix = "places/<str:place_code>/"
urlpatterns = [
    path(f"{prefix}deal/", views.deal_page, name="deal"),
    path(f"{prefix}deal/pledges/new/", views.pledge_new, name="pledge_new"),
    path(f"{prefix}deal/pledges/<int:pk>/", views.pledge_detail, name="pledge"),
    path(f"{prefix}deal/pledges/<int:pk>/update/", views.pledge_update, name="pledge_update"),
    path(f"{prefix}deal/my-part/", views.my_part, name="my_part"),
    path(f"{prefix}deal/ledger/", views.ledger, name="ledger"),
    path(f"{prefix}deal/ledger.csv", views.ledger_csv, name="ledger_csv"),
    path(f"{prefix}deal/ledger/new/", views.contribution_new, name="contribution_new"),
    path(f"{prefix}deal/ledger/import/", views.ledger_import, name="import"),
    path(f"{prefix}deal/ledger/<int:pk>/", views.contribution_detail, name="contribution"),
    path(f"{prefix}deal/rates/", views.rates, name="rates"),
    path(f"{prefix}time-bank/", views.time_bank, name="time_bank"),
    path(f"{prefix}time-bank/policy/", views.time_bank_policy, name="time_bank_policy"),
    path(f"{prefix}time-bank/join/", views.time_bank_join, name="time_bank_join"),
    path(f"{prefix}time-bank/listings/", views.listings, name="listings"),
    path(f"{prefix}time-bank/listings/<int:listing_pk>/exchange/", views.exchange_new, name="exchange_new"),
    path(f"{prefix}time-bank/exchanges/<int:pk>/", views.exchange_detail, name="exchange"),
    path(f"{prefix}time-bank/exchanges/<int:pk>/answer/", views.exchange_answer, name="exchange_answer"),
]
