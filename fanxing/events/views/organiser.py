"""The organiser's pages: create and edit, publish and close, curation (accept, remove, invite),
registrations with check-in, meeting requests, 生成日程 and the schedule grid slot × table. Every list
exports to xlsx."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.core.forms import add_service_error, error_text
from fanxing.core.io import local_minute, table_response
from fanxing.core.tabular import Column
from fanxing.events import services
from fanxing.events.forms import EventForm
from fanxing.events.models import Event, Invitation, Meeting, MeetingRequest
from fanxing.events.selectors import (
    availability_conflicts,
    event_get,
    grid,
    invitations_of,
    meetings_of,
    registrations_of,
    requests_of,
)


def managed(request: HttpRequest, pk: int) -> Event:
    """The event if this user manages it (403 otherwise; 404 when they may not even read it)."""
    event = event_get(request.user, pk)
    if not permissions.can_manage_event(request.user, event):
        raise PermissionDenied("只有主办机构的管理员、工作人员或科技局管理员可以管理该活动")
    return event


def act(request: HttpRequest, event: Event, call: Callable[[], Any], done: str, to: str) -> HttpResponse:
    """Call a service; say what happened; come back to the organiser's page `to`."""
    try:
        call()
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect(to, event.pk)


@login_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new event (a draft, as the user's organisation) or the changes of one."""
    event = managed(request, pk) if pk else None
    is_admin = permissions.is_admin(request.user)
    if event is None and not (
        is_admin or permissions.can_create_event_for(request.user, request.user.organisation_id)
    ):  # type: ignore[union-attr]
        raise PermissionDenied("只有机构管理员、工作人员或科技局管理员可以举办活动")
    form = EventForm(request.POST or None, instance=event, may_choose_organiser=is_admin)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        theme_fields = data.pop("theme_fields")
        try:
            event = services.event_save(by=request.user, fields=data, theme_fields=theme_fields, event=event)  # type: ignore[arg-type]
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "活动已保存" if pk else "活动已创建（草稿），发布后对外可见")
            return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "event": event, "section": "events"})


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed(request, pk)
    return act(
        request,
        event,
        lambda: services.event_publish(by=request.user, event=event),
        "活动已发布",
        "events:detail",
    )  # type: ignore[arg-type]


@login_required
@require_POST
def event_close(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed(request, pk)
    return act(
        request,
        event,
        lambda: services.event_close(by=request.user, event=event),
        "活动已结束",
        "events:detail",
    )  # type: ignore[arg-type]


INVITATION_COLUMNS = [
    Column("类别", "kind", width=8),
    Column("名称", "name", width=40),
    Column("机构", "organisation", width=24),
    Column("匹配度", "score", width=8),
    Column("推荐理由", "reasons", width=60),
    Column("状态", "status", width=10),
]


@login_required
def curation(request: HttpRequest, pk: int) -> HttpResponse:
    """The engine's proposals for the event's theme; POST refreshes them."""
    event = managed(request, pk)
    if request.method == "POST":
        return act(
            request,
            event,
            lambda: services.curation_proposals(by=request.user, event=event),  # type: ignore[arg-type]
            "已按活动主题重新生成推荐",
            "events:curation",
        )
    status = request.GET.get("status", "")
    invitations = invitations_of(event, status if status in Invitation.Status.values else "")
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                i.kind_label,
                str(i),
                i.organisation.name,
                round(i.score, 4),
                "；".join(i.reasons),
                i.get_status_display(),
            ]
            for i in invitations
        )
        return table_response(f"{event.title} 推荐名单", INVITATION_COLUMNS, rows)
    context = {
        "event": event,
        "invitations": invitations,
        "statuses": Invitation.Status.choices,
        "status": status,
    }
    return render(request, "events/curation.html", context | {"section": "events"})


@login_required
@require_POST
def invitation_action(request: HttpRequest, pk: int, invitation_pk: int, action: str) -> HttpResponse:
    event = managed(request, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, event=event)
    done = {"accept": "已采纳", "remove": "已移除", "invite": "已发送邀请"}.get(action, "")
    return act(
        request,
        event,
        lambda: services.invitation_move(by=request.user, invitation=invitation, action=action),  # type: ignore[arg-type]
        done,
        "events:curation",
    )


REGISTRATION_COLUMNS = [
    Column("机构", "organisation", width=24),
    Column("参会人", "person", width=14),
    Column("带来的成果", "achievements", width=40),
    Column("带来的需求", "demands", width=40),
    Column("不能参加的时段", "unavailable_slots", width=30),
    Column("报名时间", "created_at", width=18),
    Column("签到时间", "checked_in_at", width=18),
]


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed(request, pk)
    rows = registrations_of(event)
    if request.GET.get("export") == "xlsx":
        return table_response(
            f"{event.title} 报名名单",
            REGISTRATION_COLUMNS,
            (
                [
                    r.organisation.name,
                    str(r.person),
                    "、".join(a.title for a in r.achievements.all()),
                    "、".join(d.title for d in r.demands.all()),
                    "、".join(event.slot_label(s) for s in r.unavailable_slots if s < event.slot_count),
                    local_minute(r.created_at),
                    local_minute(r.checked_in_at),
                ]
                for r in rows
            ),
        )
    return render(
        request, "events/registrations.html", {"event": event, "registrations": rows, "section": "events"}
    )


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    event = managed(request, pk)
    registration = get_object_or_404(event.registrations, pk=registration_pk)
    return act(
        request,
        event,
        lambda: services.check_in(by=request.user, registration=registration),  # type: ignore[arg-type]
        f"{registration.organisation} 已签到",
        "events:registrations",
    )


REQUEST_COLUMNS = [
    Column("发起方", "from", width=24),
    Column("对方", "to", width=24),
    Column("留言", "note", width=30),
    Column("状态", "status", width=10),
    Column("时间", "created_at", width=18),
]


def request_rows(rows: Any) -> Any:
    return (
        [
            r.from_registration.organisation.name,
            r.to_registration.organisation.name,
            r.note,
            r.get_status_display(),
            local_minute(r.created_at),
        ]
        for r in rows
    )


@login_required
def meeting_requests(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed(request, pk)
    rows = requests_of(event)
    if request.GET.get("export") == "xlsx":
        return table_response(f"{event.title} 洽谈预约", REQUEST_COLUMNS, request_rows(rows))
    context = {
        "event": event,
        "requests": rows,
        "can_answer": True,
        "REQUESTED": MeetingRequest.Status.REQUESTED,
    }
    return render(request, "events/requests.html", context | {"section": "events"})


MEETING_COLUMNS = [
    Column("时段", "slot", width=8),
    Column("时间", "time", width=14),
    Column("桌号", "table", width=8),
    Column("一方", "a", width=24),
    Column("另一方", "b", width=24),
    Column("洽谈需求", "demand", width=30),
    Column("洽谈成果", "achievement", width=30),
    Column("匹配值", "value", width=8),
    Column("预约", "requested", width=8),
    Column("结果", "outcome", width=10),
    Column("线索编号", "lead", width=10),
]


def meeting_row(event: Event, m: Meeting) -> list[Any]:
    return [
        m.slot + 1,
        f"{local_minute(event.slot_start(m.slot))[-5:]}–{local_minute(event.slot_end(m.slot))[-5:]}",
        m.table,
        m.registration_a.organisation.name,
        m.registration_b.organisation.name,
        m.demand.title if m.demand else "",
        m.achievement.title if m.achievement else "",
        round(m.value, 1),
        "是" if m.requested else "",
        m.get_outcome_display() if m.outcome else "",
        m.lead_id or "",
    ]


@login_required
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule grid: a row per slot, a column per table."""
    event = managed(request, pk)
    if request.GET.get("export") == "xlsx":
        return table_response(
            f"{event.title} 洽谈日程", MEETING_COLUMNS, (meeting_row(event, m) for m in meetings_of(event))
        )
    rows = [(slot, event.slot_start(slot), event.slot_end(slot), cells) for slot, cells in grid(event)]
    context = {
        "event": event,
        "rows": rows,
        "tables": range(1, event.tables + 1),
        "count": event.meetings.count(),
        "requested": event.meetings.filter(requested=True).count(),
        "requests_open": event.meeting_requests.exclude(status=MeetingRequest.Status.DECLINED).count(),
        "conflicts": availability_conflicts(event),
    }
    return render(request, "events/schedule.html", context | {"section": "events"})


@login_required
@require_POST
def schedule_make(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed(request, pk)
    try:
        result = services.schedule_make(by=request.user, event=event)  # type: ignore[arg-type]
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"日程已生成：{len(result.assignments)} 场洽谈，预约满足 {result.requested_met}/{result.requested_total}，"
            f"总匹配值 {result.value:.0f}",
        )
    return redirect("events:schedule", event.pk)
