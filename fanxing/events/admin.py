"""Back office for events: corrections only (changes here bypass the services' checks and the audit log).
Meetings are read-only here: they are made by 生成日程 (`fanxing events schedule`) and their outcomes by the
participants."""

from django.contrib import admin

from fanxing.events.models import Event, Invitation, Meeting, MeetingRequest, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["organisation", "person", "checked_in_at", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["organisation", "person"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organiser", "starts_at", "status", "capacity"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "theme", "organiser__name"]
    filter_horizontal = ["theme_fields"]
    raw_id_fields = ["organiser", "created_by"]
    inlines = [RegistrationInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "organisation", "score", "status"]
    list_filter = ["status"]
    raw_id_fields = ["event", "organisation", "achievement", "demand"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["event", "from_registration", "to_registration"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "event",
        "registration_a",
        "registration_b",
        "value",
        "requested",
        "outcome",
        "lead",
    ]
    list_filter = ["outcome", "requested"]

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:  # type: ignore[override]
        return False
