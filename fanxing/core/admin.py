"""Back office for reference data, organisations and the audit log (read-only)."""

from django.contrib import admin

from fanxing.core.models import (
    AllianceMember,
    AuditEntry,
    ConversionWay,
    Job,
    Organisation,
    Region,
    TechField,
    TrlLevel,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "uscc", "verified", "created_at"]
    list_filter = ["kind", "verified"]
    search_fields = ["name", "short_name", "uscc"]
    autocomplete_fields = ["region"]


@admin.register(TechField)
class TechFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "order", "active"]
    list_filter = ["active", "parent"]
    list_editable = ["order", "active"]
    search_fields = ["code", "name"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(ConversionWay)
class ConversionWayAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "description", "order"]
    list_editable = ["order"]


@admin.register(TrlLevel)
class TrlLevelAdmin(admin.ModelAdmin):
    list_display = ["level", "name", "stage"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "content_type", "target_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["target_repr", "actor__username"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "owner", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(AllianceMember)
class AllianceMemberAdmin(admin.ModelAdmin):
    list_display = ["organisation", "role", "joined_on", "left_on"]
    list_filter = ["role"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
