"""Back office for achievements. Changes made here bypass the review workflow: use for corrections only."""

from django.contrib import admin

from fanxing.achievements.models import Achievement, Patent, RightsGrant, TeamMember


class PatentInline(admin.TabularInline):
    model = Patent
    extra = 0


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ["ref", "title", "organisation", "field", "trl", "status", "visibility", "published_at"]
    list_filter = ["status", "visibility", "field__parent", "trl"]
    search_fields = ["ref", "title", "keywords", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["ways"]
    inlines = [PatentInline, TeamInline]
    readonly_fields = ["created_at", "updated_at", "submitted_at", "published_at", "created_by"]


@admin.register(RightsGrant)
class RightsGrantAdmin(admin.ModelAdmin):
    list_display = ["achievement", "kind", "grantees", "share", "granted_on", "term_years"]
    list_filter = ["kind"]
    search_fields = ["achievement__title", "grantees", "document_no"]
    autocomplete_fields = ["achievement"]
