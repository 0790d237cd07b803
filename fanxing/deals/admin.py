"""Back office for leads."""

from django.contrib import admin

from fanxing.deals.models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "manager", "stage", "source", "score", "created_at"]
    list_filter = ["stage", "source"]
