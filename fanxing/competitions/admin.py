from django.contrib import admin

from fanxing.competitions.models import Assignment, Award, Competition, Entry, Judge, Score


class JudgeInline(admin.TabularInline):
    model = Judge
    extra = 0
    raw_id_fields = ["user"]


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    raw_id_fields = ["entry"]


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "organiser", "status", "opens_on", "closes_on"]
    list_filter = ["status", "year"]
    search_fields = ["title"]
    inlines = [JudgeInline, AwardInline]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "competition", "organisation", "status", "submitted_at"]
    list_filter = ["status", "competition"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["achievement", "submitted_by"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    """Scores are read here; they are written through the judge's form (the conflict rule is there)."""

    list_display = ["assignment", "total", "submitted_at"]
    readonly_fields = ["assignment", "scores", "total", "comment", "submitted_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["judge", "entry", "created_at"]
    readonly_fields = ["judge", "entry"]

    def has_add_permission(self, request: object) -> bool:
        return False
