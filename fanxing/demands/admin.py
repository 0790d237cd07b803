"""Back office for demands. Changes made here bypass the review workflow: use for corrections only."""

from django.contrib import admin

from fanxing.demands.models import Demand


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "organisation", "field", "min_trl", "deadline", "status", "published_at"]
    list_filter = ["status", "visibility", "field__parent"]
    search_fields = ["ref", "title", "keywords", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["ways"]
    readonly_fields = ["created_at", "updated_at", "submitted_at", "published_at", "created_by"]
