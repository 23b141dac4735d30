from django.urls import path

from . import views

app_name = "accounting"
urlpatterns = [
    path("places/<str:place_code>/outcomes/", views.outcomes_index, name="outcomes"),
    path("places/<str:place_code>/outcomes/<slug:code>/", views.indicator_detail, name="indicator"),
]
