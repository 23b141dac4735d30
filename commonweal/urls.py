from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("commonweal.places.urls")),
    path("", include("commonweal.accounts.urls")),
    path("", include("commonweal.directory.urls")),
    path("", include("commonweal.people.urls")),
    path("", include("commonweal.investment.urls")),
    path("", include("commonweal.deal.urls")),
    path("", include("commonweal.accounting.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Commonweal administration"
admin.site.site_title = "Commonweal"
