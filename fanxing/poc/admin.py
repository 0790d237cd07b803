"""Back office for proof of concept. Platforms are kept here too; everything else is recorded through the
services (the pages, the API, the CLI), so reviews and funding decisions are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fanxing.poc.models import (
    FundingDecision,
    Milestone,
    Outcome,
    PocApplication,
    PocCall,
    PocPlatform,
    Review,
)


@admin.register(PocPlatform)
class PocPlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "host", "recognised_year", "status"]
    list_filter = ["level", "status"]
    search_fields = ["name", "host__name"]
    filter_horizontal = ["fields"]


@admin.register(PocCall)
class PocCallAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "host", "budget_total", "per_project_cap", "deadline", "status"]
    list_filter = ["funder", "status"]
    search_fields = ["title"]
    filter_horizontal = ["fields"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(PocApplication)
class PocApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "call", "budget", "status", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["achievement__title", "applicant__name"]
    raw_id_fields = ["achievement"]
    inlines = [MilestoneInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnly):
    list_display = ["assignment", "total", "submitted_at"]


@admin.register(FundingDecision)
class FundingDecisionAdmin(ReadOnly):
    list_display = ["application", "amount", "decided_on"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["application", "status", "contract", "date"]
    list_filter = ["status"]
