"""Back office of the platform register: the editable list of platform types, parks, industry chains and
platforms (the pages and the API write platforms through `fanxing.platforms.services` with its checks)."""

from django.contrib import admin

from fanxing.platforms.models import IndustryChain, Park, Platform, PlatformType
from fanxing.platforms.services import PLATFORM_FIELDS


@admin.register(PlatformType)
class PlatformTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "established_year"]
    search_fields = ["name", "theme"]


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = [name for name in PLATFORM_FIELDS if name != "description"]
    list_filter = ["level", "kind", "status", "park", "chain"]
    search_fields = ["name", "host__name"]
    autocomplete_fields = ["host"]
    list_select_related = ["kind", "host", "park", "chain"]
    filter_horizontal = ["fields"]
