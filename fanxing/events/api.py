"""API for events (对接活动): the list and an event (anonymous reads of published ones), registration, meeting
requests and answers, the schedule (made and read by the organiser), a participant's agenda and the outcome
of a meeting. Reads go through fanxing.events.selectors, writes through fanxing.events.services."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from fanxing.accounts import permissions
from fanxing.achievements.models import Achievement
from fanxing.core.schemas import InputSchema, PageQuery, RecordId, paginate, record_ref_out
from fanxing.demands.models import Demand
from fanxing.events import services
from fanxing.events.models import Event, Meeting, MeetingRequest, Registration
from fanxing.events.selectors import agenda, event_get, event_list, meetings_of, registration_of, requests_of

router = Router(tags=["对接活动"])


class EventQuery(PageQuery):
    kind: str = Field("", description="活动类型：roadshow, fair, competition, training")
    status: str = Field("", description="状态：draft, published, closed（草稿仅主办方可见）")


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    theme: str
    theme_fields: list[str]
    organiser: dict[str, Any]
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_url: str
    capacity: int
    registered: int
    registration_opens: datetime.datetime
    registration_closes: datetime.datetime
    slot_count: int
    slot_minutes: int
    first_slot_at: datetime.datetime | None
    tables: int
    status: str
    url: str


class EventPage(Schema):
    count: int
    items: list[EventOut]


class RegistrationIn(InputSchema):
    achievements: list[RecordId] = Field([], description="带来的成果编号（id），须属于本机构")
    demands: list[RecordId] = Field([], description="带来的需求编号（id），须属于本机构")
    unavailable_slots: list[int] = Field([], description="不能参加一对一洽谈的时段序号（从 0 起）")


class AvailabilityIn(InputSchema):
    unavailable_slots: list[int] = Field(description="不能参加一对一洽谈的时段序号（从 0 起）；空表示都可以")


class RegistrationOut(Schema):
    id: int
    organisation: dict[str, Any]
    person: str
    achievements: list[dict[str, Any]]
    demands: list[dict[str, Any]]
    unavailable_slots: list[int]
    checked_in_at: datetime.datetime | None
    created_at: datetime.datetime


class RequestIn(InputSchema):
    to_registration: RecordId = Field(description="对方的报名编号（id）")
    note: str = Field("", description="留言")


class AnswerIn(InputSchema):
    accept: bool = Field(description="true 接受，false 拒绝")


class RequestOut(Schema):
    id: int
    from_registration: int
    from_organisation: str
    to_registration: int
    to_organisation: str
    note: str
    status: str
    created_at: datetime.datetime


class MeetingOut(Schema):
    id: int
    slot: int = Field(description="时段，从 0 开始")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    table: int = Field(description="桌号，从 1 开始")
    registration_a: int
    organisation_a: str
    registration_b: int
    organisation_b: str
    demand: dict[str, Any] | None
    achievement: dict[str, Any] | None
    value: float
    requested: bool
    outcome: str
    outcome_note: str
    lead: int | None


class ScheduleOut(Schema):
    value: float
    requested_met: int
    requested_total: int
    meetings: list[MeetingOut]


class OutcomeIn(InputSchema):
    outcome: str = Field(description="洽谈结果：interest（意向）, none（无意向）, follow_up（后续跟进）")
    note: str = Field("", description="说明")
    demand: RecordId | None = Field(
        None, description="涉及的需求（id），须为洽谈双方带来的；不填则用排程时的需求"
    )
    achievement: RecordId | None = Field(None, description="涉及的成果（id），须为洽谈双方带来的")


def event_out(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "title": event.title,
        "theme": event.theme,
        "theme_fields": [f.name for f in event.theme_fields.all()],
        "organiser": {"id": event.organiser_id, "name": event.organiser.name},
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "registered": getattr(event, "registered", None) or event.registrations.count(),
        "registration_opens": event.registration_opens,
        "registration_closes": event.registration_closes,
        "slot_count": event.slot_count,
        "slot_minutes": event.slot_minutes,
        "first_slot_at": event.first_slot_at,
        "tables": event.tables,
        "status": event.status,
        "url": event.get_absolute_url(),
    }


def registration_out(r: Registration) -> dict[str, Any]:
    return {
        "id": r.pk,
        "organisation": {"id": r.organisation_id, "name": r.organisation.name},
        "person": str(r.person),
        "achievements": [record_ref_out(a) for a in r.achievements.select_related("organisation")],
        "demands": [record_ref_out(d) for d in r.demands.select_related("organisation")],
        "unavailable_slots": r.unavailable_slots,
        "checked_in_at": r.checked_in_at,
        "created_at": r.created_at,
    }


def request_out(r: MeetingRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "from_registration": r.from_registration_id,
        "from_organisation": r.from_registration.organisation.name,
        "to_registration": r.to_registration_id,
        "to_organisation": r.to_registration.organisation.name,
        "note": r.note,
        "status": r.status,
        "created_at": r.created_at,
    }


def meeting_out(m: Meeting) -> dict[str, Any]:
    event = m.event
    return {
        "id": m.pk,
        "slot": m.slot,
        "starts_at": event.slot_start(m.slot),
        "ends_at": event.slot_end(m.slot),
        "table": m.table,
        "registration_a": m.registration_a_id,
        "organisation_a": m.registration_a.organisation.name,
        "registration_b": m.registration_b_id,
        "organisation_b": m.registration_b.organisation.name,
        "demand": record_ref_out(m.demand),
        "achievement": record_ref_out(m.achievement),
        "value": m.value,
        "requested": m.requested,
        "outcome": m.outcome,
        "outcome_note": m.outcome_note,
        "lead": m.lead_id,
    }


def managed(user: Any, pk: int) -> Event:
    event = event_get(user, pk)
    if not permissions.can_manage_event(user, event):
        raise PermissionDenied("只有主办机构的管理员、工作人员或科技局管理员可以管理该活动")
    return event


def mine_or_named(user: Any, event: Event, registration: int | None) -> Registration:
    if registration and permissions.can_manage_event(user, event):
        return get_object_or_404(event.registrations, pk=registration)
    mine = registration_of(user, event)
    if mine is None or not permissions.acts_for_registration(user, mine):
        raise Http404("您所在的机构未报名该活动")
    return mine


@router.get("", response=EventPage, summary="活动列表")
def list_events(request: HttpRequest, query: Query[EventQuery]) -> dict[str, Any]:
    """Published events for everyone; drafts for their organisers and the bureau."""
    user = request.auth  # type: ignore[attr-defined]
    qs = event_list(user, kind=query.kind, status=query.status).prefetch_related("theme_fields")
    count, rows = paginate(qs, query)
    return {"count": count, "items": [event_out(e) for e in rows]}


@router.get("/{int:event_id}", response=EventOut, summary="活动详情")
def get_event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    return event_out(event_get(request.auth, event_id))  # type: ignore[attr-defined]


@router.post("/{int:event_id}/registrations", response={201: RegistrationOut}, summary="报名（以本机构名义）")
def register(request: HttpRequest, event_id: int, payload: RegistrationIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    event = event_get(user, event_id)
    registration = services.registration_create(
        by=user,
        event=event,
        achievements=list(Achievement.objects.filter(pk__in=payload.achievements)),
        demands=list(Demand.objects.filter(pk__in=payload.demands)),
        unavailable_slots=payload.unavailable_slots,
    )
    return Status(201, registration_out(registration))


@router.get("/{int:event_id}/registrations", response=list[RegistrationOut], summary="报名名单（主办方）")
def list_registrations(request: HttpRequest, event_id: int) -> list[dict[str, Any]]:
    event = managed(request.auth, event_id)  # type: ignore[attr-defined]
    return [registration_out(r) for r in event.registrations.select_related("organisation", "person")]


@router.get(
    "/{int:event_id}/requests",
    response=list[RequestOut],
    summary="洽谈预约（主办方：全部；参会方：本机构的）",
)
def list_requests(request: HttpRequest, event_id: int) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    event = event_get(user, event_id)
    rows = requests_of(event)
    if not permissions.can_manage_event(user, event):
        mine = mine_or_named(user, event, None)
        rows = rows.filter(from_registration=mine) | rows.filter(to_registration=mine)
    return [request_out(r) for r in rows]


@router.post("/{int:event_id}/requests", response={201: RequestOut}, summary="预约一对一洽谈")
def make_request(request: HttpRequest, event_id: int, payload: RequestIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    event = event_get(user, event_id)
    mine = mine_or_named(user, event, None)
    other = event.registrations.filter(pk=payload.to_registration).first()
    if other is None:
        other = get_object_or_404(
            Registration, pk=payload.to_registration
        )  # another event's: refused by name
    made = services.meeting_request(by=user, from_registration=mine, to_registration=other, note=payload.note)
    return Status(201, request_out(made))


@router.post(
    "/{int:event_id}/requests/{int:request_id}/answer", response=RequestOut, summary="接受或拒绝洽谈预约"
)
def answer_request(request: HttpRequest, event_id: int, request_id: int, payload: AnswerIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    event = event_get(user, event_id)
    found = get_object_or_404(MeetingRequest, pk=request_id, event=event)
    return request_out(services.meeting_request_answer(by=user, request=found, accept=payload.accept))


@router.post("/{int:event_id}/schedule", response=ScheduleOut, summary="生成洽谈日程（主办方）")
def make_schedule(request: HttpRequest, event_id: int) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    event = managed(user, event_id)
    result = services.schedule_make(by=user, event=event)
    return {
        "value": result.value,
        "requested_met": result.requested_met,
        "requested_total": result.requested_total,
        "meetings": [meeting_out(m) for m in meetings_of(event)],
    }


@router.get("/{int:event_id}/schedule", response=list[MeetingOut], summary="洽谈日程（主办方）")
def get_schedule(request: HttpRequest, event_id: int) -> list[dict[str, Any]]:
    event = managed(request.auth, event_id)  # type: ignore[attr-defined]
    return [meeting_out(m) for m in meetings_of(event)]


@router.get("/{int:event_id}/agenda", response=list[MeetingOut], summary="我的洽谈日程")
def get_agenda(request: HttpRequest, event_id: int, registration: int | None = None) -> list[dict[str, Any]]:
    """The meetings of your organisation's registration; an organiser may name any (?registration=)."""
    user = request.auth  # type: ignore[attr-defined]
    event = event_get(user, event_id)
    return [meeting_out(m) for m in agenda(mine_or_named(user, event, registration))]


@router.put("/{int:event_id}/availability", response=RegistrationOut, summary="设置不能参加的洽谈时段")
def set_availability(
    request: HttpRequest, event_id: int, payload: AvailabilityIn, registration: int | None = None
) -> dict[str, Any]:
    """The slots your organisation's registration cannot attend; an organiser may name any (?registration=).
    The next schedule leaves them free."""
    user = request.auth  # type: ignore[attr-defined]
    event = event_get(user, event_id)
    mine = mine_or_named(user, event, registration)
    return registration_out(
        services.registration_availability_set(by=user, registration=mine, slots=payload.unavailable_slots)
    )


@router.post("/{int:event_id}/meetings/{int:meeting_id}/outcome", response=MeetingOut, summary="记录洽谈结果")
def record_outcome(
    request: HttpRequest, event_id: int, meeting_id: int, payload: OutcomeIn
) -> dict[str, Any]:
    """意向 and 后续跟进 open a lead (来源：对接活动) assigned to a technology manager by specialty and load."""
    user = request.auth  # type: ignore[attr-defined]
    event = event_get(user, event_id)
    meeting = get_object_or_404(Meeting, pk=meeting_id, event=event)
    demand = get_object_or_404(Demand, pk=payload.demand) if payload.demand else None
    achievement = get_object_or_404(Achievement, pk=payload.achievement) if payload.achievement else None
    services.meeting_outcome(
        by=user,
        meeting=meeting,
        outcome=payload.outcome,
        note=payload.note,
        demand=demand,
        achievement=achievement,
    )
    return meeting_out(meetings_of(event).get(pk=meeting.pk))
