from django.urls import include, path

from . import api, views

# The ORUK read API, mounted for every place and for one place.
oruk_patterns = [
    path("", api.index, name="index"),
    path("openapi.json", api.openapi, name="openapi"),
    path("services", api.services, name="services"),
    path("services/<str:oruk_id>", api.service_detail, name="service"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<str:oruk_id>", api.taxonomy_detail, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:oruk_id>", api.taxonomy_term_detail, name="taxonomy_term"),
    path("organizations", api.organisations, name="organizations"),
    path("organizations/<str:oruk_id>", api.organisation_detail, name="organization"),
    path("service_at_locations", api.service_at_locations, name="service_at_locations"),
    path("service_at_locations/<str:oruk_id>", api.service_at_location_detail, name="service_at_location"),
]

app_name = "directory"
urlpatterns = [
    path("api/oruk/", include((oruk_patterns, "oruk"))),
    path("places/<str:place_code>/api/oruk/", include((oruk_patterns, "place_oruk"))),
    path("places/<str:place_code>/offers/", views.offer_search, name="search"),
    path("places/<str:place_code>/offers/<int:pk>/", views.offer_detail, name="offer"),
    path("places/<str:place_code>/offers/<int:pk>/status/", views.offer_status, name="offer_status"),
    path("places/<str:place_code>/offers/<int:pk>/map.geojson", views.offer_geojson, name="offer_geojson"),
    path("places/<str:place_code>/offers/new/", views.propose_offer, name="propose"),
    path("places/<str:place_code>/offers/<int:pk>/change/", views.propose_change, name="propose_change"),
    path("places/<str:place_code>/offer-changes/", views.change_list, name="changes"),
    path("places/<str:place_code>/offer-changes/<int:pk>/", views.change_detail, name="change"),
]
