"""Back office for the people directories. Changes made here bypass the audit log: use for corrections only."""

from django.contrib import admin

from fanxing.managers.models import Certificate, ExpertProfile, ManagerProfile, TrainingRecord


@admin.register(ManagerProfile)
class ManagerProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "affiliation", "updated_at"]
    list_filter = ["level", "specialty_fields__parent"]
    search_fields = ["user__username", "user__display_name", "specialties", "affiliation"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["specialty_fields"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "affiliation", "updated_at"]
    list_filter = ["specialty_fields__parent"]
    search_fields = ["user__username", "user__display_name", "specialties", "affiliation"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["specialty_fields"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "manager", "level", "issuer", "issued_on", "expires_on"]
    list_filter = ["level", "issuer"]
    search_fields = ["number", "name", "manager__user__display_name"]
    autocomplete_fields = ["manager"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["course", "manager", "hours", "date", "provider"]
    list_filter = ["provider"]
    date_hierarchy = "date"
    search_fields = ["course", "provider", "manager__user__display_name"]
    autocomplete_fields = ["manager"]
