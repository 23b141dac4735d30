from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.index, name="index"),
    path("places/<str:place_code>/", views.place_overview, name="place"),
    path("places/<str:place_code>/neighbourhoods.geojson", views.neighbourhoods_geojson, name="geojson"),
    path("places/<str:place_code>/districts/<str:district_code>/", views.district_detail, name="district"),
    path(
        "places/<str:place_code>/neighbourhoods/<str:lsoa_code>/",
        views.neighbourhood_detail,
        name="neighbourhood",
    ),
]
