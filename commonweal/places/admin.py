from django.contrib import admin

from .models import District, Neighbourhood, Place, Postcode


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "is_demo"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "place"]
    list_filter = ["place"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "imd_decile", "population"]
    list_filter = ["place", "imd_decile", "district"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "neighbourhood", "latitude", "longitude"]
    search_fields = ["postcode"]
    raw_id_fields = ["neighbourhood"]
