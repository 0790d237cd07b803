"""Back office for indicators: the bureau adds entered, ratio and growth indicators and renames any; the
computed ones follow the formulas in the code (`indicators_sync` on every migrate), so their definition is
read-only here. Values, targets, comments and leaderboards are written through the pages (the services
audit them), so they are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fanxing.reports.models import Comment, Indicator, IndicatorValue, Leaderboard, Target

COMPUTED_FIXED = ["code", "kind", "formula", "numerator", "denominator", "factor", "decimals"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "kind", "group", "order"]
    list_filter = ["kind", "group"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["numerator", "denominator"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.kind == Indicator.Kind.COMPUTED:
            return COMPUTED_FIXED
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.kind != Indicator.Kind.COMPUTED


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnly):
    list_display = ["indicator", "year", "organisation", "as_of", "value", "source", "entered_by"]
    list_filter = ["year", "indicator__group"]
    search_fields = ["indicator__code", "indicator__name", "source"]


@admin.register(Target)
class TargetAdmin(ReadOnly):
    list_display = ["indicator", "year", "organisation", "direction", "value", "tolerance", "set_by"]
    list_filter = ["year"]


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ["indicator", "year", "author", "created_at"]
    list_filter = ["year"]


@admin.register(Leaderboard)
class LeaderboardAdmin(ReadOnly):
    list_display = ["year", "ends_on", "title", "published_at"]
