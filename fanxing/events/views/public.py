"""Public event pages: the published events and an event's page (anonymous visitors read them)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.core.io import local_minute, table_response
from fanxing.core.rendering import paginate, query_without_page
from fanxing.core.tabular import Column
from fanxing.events.models import Event
from fanxing.events.selectors import event_get, event_list, registration_of

EVENT_COLUMNS = [
    Column("编号", "id", width=8),
    Column("活动名称", "title", width=36),
    Column("类型", "kind", width=10),
    Column("主办机构", "organiser", width=24),
    Column("开始时间", "starts_at", width=18),
    Column("结束时间", "ends_at", width=18),
    Column("地点", "place", width=30),
    Column("状态", "status", width=10),
    Column("报名机构数", "registered", width=10),
    Column("上限", "capacity", width=8),
]


def event_row(e: Event) -> list[object]:
    return [
        e.pk,
        e.title,
        e.get_kind_display(),
        e.organiser.name,
        local_minute(e.starts_at),
        local_minute(e.ends_at),
        e.place or e.online_url,
        e.get_status_display(),
        getattr(e, "registered", 0),
        e.capacity,
    ]


def events(request: HttpRequest) -> HttpResponse:
    """The events this visitor may read (published ones for everyone), newest first; exportable."""
    kind = request.GET.get("kind", "")
    qs = event_list(request.user, kind=kind if kind in Event.Kind.values else "")
    if request.GET.get("export") == "xlsx":
        return table_response("对接活动", EVENT_COLUMNS, (event_row(e) for e in qs))
    context = {
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "kinds": Event.Kind.choices,
        "kind": kind,
        "can_create": request.user.is_authenticated
        and permissions.can_create_event_for(request.user, request.user.organisation_id),  # type: ignore[union-attr]
        "section": "events",
    }
    return render(request, "events/list.html", context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get(request.user, pk)
    mine = registration_of(request.user, event)
    now = timezone.now()
    context = {
        "event": event,
        "mine": mine,
        "can_manage": permissions.can_manage_event(request.user, event),
        "can_register": mine is None
        and event.status == Event.Status.PUBLISHED
        and event.registration_opens <= now <= event.registration_closes
        and request.user.is_authenticated
        and permissions.can_register(request.user, request.user.organisation_id),  # type: ignore[union-attr]
        "registered": event.registrations.count(),
        "section": "events",
    }
    return render(request, "events/detail.html", context)
