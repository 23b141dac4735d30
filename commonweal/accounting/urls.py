from django.urls import path

from . import account_views, views

app_name = "accounting"
urlpatterns = [
    path("places/<str:place_code>/outcomes/", views.outcomes_index, name="outcomes"),
    path("places/<str:place_code>/outcomes/<slug:code>/", views.indicator_detail, name="indicator"),
    path("places/<str:place_code>/account/", account_views.account_page, name="account"),
    path("places/<str:place_code>/account/how/", account_views.account_page, {"how": True}, name="account_how"),
    path("places/<str:place_code>/account/map.geojson", account_views.account_map, name="account_map"),
    path(
        "places/<str:place_code>/account/districts/<str:district_code>/",
        account_views.account_page,
        name="account_district",
    ),
    path(
        "places/<str:place_code>/account/districts/<str:district_code>/how/",
        account_views.account_page,
        {"how": True},
        name="account_district_how",
    ),
    path(
        "places/<str:place_code>/account/neighbourhoods/<str:lsoa_code>/",
        account_views.account_page,
        name="account_neighbourhood",
    ),
    path(
        "places/<str:place_code>/account/neighbourhoods/<str:lsoa_code>/how/",
        account_views.account_page,
        {"how": True},
        name="account_neighbourhood_how",
    ),
]
