"""Meetings: requests between participants, the schedule made by fanxing.events.scheduling from requested and
engine-valued pairs (checked by violations()), and outcomes, where an interest opens a lead."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import audit, diff, notify, require, snapshot
from fanxing.deals.models import OPEN_STAGES, Lead
from fanxing.events import scheduling
from fanxing.events.models import Event, Meeting, MeetingRequest, Registration
from fanxing.events.selectors import MIN_PAIR_PERCENT, pair_values, unavailable_slots
from fanxing.events.services.events import check_manage

# A value for a requested meeting between participants who bring no pair the engine can value.
REQUESTED_BASE_VALUE = 1


@transaction.atomic
def meeting_request(
    *, by: User, from_registration: Registration, to_registration: Registration, note: str = ""
) -> MeetingRequest:
    """One participant asks another of the same event for a one-to-one meeting."""
    event = from_registration.event
    require(permissions.acts_for_registration(by, from_registration), "只能以本机构的报名发起洽谈预约")
    if to_registration.event_id != event.pk:
        raise ValidationError({"to_registration": "只能预约同一活动的参会机构"})
    if (
        to_registration.pk == from_registration.pk
        or to_registration.organisation_id == from_registration.organisation_id
    ):
        raise ValidationError({"to_registration": "不能与本机构预约洽谈"})
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError({"event": f"活动{event.get_status_display()}，不能再预约"})
    pair = Q(from_registration=from_registration, to_registration=to_registration) | Q(
        from_registration=to_registration, to_registration=from_registration
    )
    if MeetingRequest.objects.filter(pair).exists():
        raise ValidationError({"to_registration": f"与{to_registration.organisation}已有洽谈预约"})
    request = MeetingRequest.objects.create(
        event=event,
        from_registration=from_registration,
        to_registration=to_registration,
        note=note.strip()[:200],
    )
    audit(actor=by, action="meeting_request", target=event, changes={"request": [None, str(request)]})
    notify(
        users=[to_registration.person],
        subject=f"{from_registration.organisation}希望与贵单位洽谈：{event.title}",
        body=request.note,
        url=reverse("events:my_requests", args=[event.pk]),
        key=f"event-request-{request.pk}",
    )
    return request


@transaction.atomic
def meeting_request_answer(*, by: User | None, request: MeetingRequest, accept: bool) -> MeetingRequest:
    """The participant asked (or the organiser) accepts or declines; a declined request is not scheduled."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if by is not None:
        require(
            permissions.acts_for_registration(by, request.to_registration)
            or permissions.can_manage_event(by, request.event),
            "只有被预约方或主办方可以回复洽谈预约",
        )
    if request.status != MeetingRequest.Status.REQUESTED:
        raise ValidationError({"status": f"该预约{request.get_status_display()}"})
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.save(update_fields=["status"])
    audit(
        actor=by,
        action="meeting_request_answer",
        target=request.event,
        changes={str(request): ["requested", request.status]},
    )
    return request


def candidate_pairs(event: Event) -> tuple[list[int], dict[tuple[int, int], dict[str, Any]]]:
    """The participants (registration ids) and the candidate meetings between them: each requested meeting
    (not declined), and each pair of a demand one brings and an achievement another brings that the engine
    values at MIN_PAIR_PERCENT or more; per pair its best demand/achievement and value."""
    registrations = list(event.registrations.prefetch_related("achievements", "demands").order_by("pk"))
    owner: dict[tuple[str, int], int] = {}
    demands, achievements = [], []
    for r in registrations:
        for d in r.demands.all():
            owner[("d", d.pk)] = r.pk
            demands.append(d)
        for a in r.achievements.all():
            owner[("a", a.pk)] = r.pk
            achievements.append(a)
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    for pv in pair_values(demands, achievements):
        a, b = owner[("d", pv.demand.pk)], owner[("a", pv.achievement.pk)]
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        if key not in pairs or pv.value > pairs[key]["value"]:
            pairs[key] = {
                "value": pv.value,
                "demand": pv.demand,
                "achievement": pv.achievement,
                "requested": False,
            }
    valued = pairs
    pairs = {k: v for k, v in valued.items() if v["value"] >= MIN_PAIR_PERCENT}
    for req in event.meeting_requests.exclude(status=MeetingRequest.Status.DECLINED):
        a, b = req.from_registration_id, req.to_registration_id
        key = (min(a, b), max(a, b))
        entry = valued.get(key) or {"value": REQUESTED_BASE_VALUE, "demand": None, "achievement": None}
        pairs[key] = entry | {"requested": True}
    return [r.pk for r in registrations], pairs


@transaction.atomic
def schedule_make(*, by: User | None, event: Event) -> scheduling.Schedule:
    """Schedule the event's one-to-one meetings: requested meetings first, then the engine's best pairs, no
    one twice in a slot, one meeting per table; the schedule is checked (violations() == []) and replaces
    the event's meetings. Refused once an outcome is recorded (it would be lost)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_manage(by, event)
    if event.status == Event.Status.CLOSED:
        raise ValidationError({"status": "活动已结束，不能重新排程"})
    if not event.slot_count or not event.tables:
        raise ValidationError({"slot_count": "请先设置洽谈时段数和洽谈桌数"})
    if event.meetings.exclude(outcome="").exists():
        raise ValidationError({"meetings": "已有洽谈记录了结果，不能重新排程"})
    participants, pairs = candidate_pairs(event)
    problem = scheduling.Problem(
        participants=tuple(participants),
        slots=event.slot_count,
        tables=event.tables,
        pairs=tuple(scheduling.Pair(a, b, float(v["value"]), v["requested"]) for (a, b), v in pairs.items()),
        unavailable=unavailable_slots(event),
    )
    try:
        result = scheduling.schedule(problem)
    except scheduling.SchedulingError as error:
        raise ValidationError({"meetings": str(error)}) from error
    broken = scheduling.violations(problem, result)
    if broken:  # the scheduler's own check: never store a schedule that breaks a constraint
        raise ValidationError({"meetings": "排程结果不满足约束：" + "；".join(broken)})
    check_no_double_booking(result)
    event.meetings.all().delete()
    Meeting.objects.bulk_create(
        Meeting(
            event=event,
            registration_a_id=m.a,
            registration_b_id=m.b,
            slot=m.slot,
            table=m.table,
            value=m.value,
            requested=m.requested,
            demand=pairs[(m.a, m.b)]["demand"],
            achievement=pairs[(m.a, m.b)]["achievement"],
        )
        for m in result.assignments
    )
    notify_agendas(event)
    audit(
        actor=by,
        action="event_schedule",
        target=event,
        changes={
            "meetings": [None, len(result.assignments)],
            "requested_met": [None, f"{result.requested_met}/{result.requested_total}"],
            "value": [None, round(result.value, 2)],
        },
    )
    return result


def notify_agendas(event: Event) -> None:
    """Tell each participant their agenda is ready (once per event: a remade schedule shows on the page)."""
    for registration in event.registrations.select_related("person"):
        notify(
            users=[registration.person],
            subject=f"洽谈日程已生成：{event.title}",
            body="请查看贵单位的一对一洽谈时段和桌号，可下载打印版或加入日历。",
            url=reverse("events:agenda", args=[event.pk]),
            key=f"event-agenda-{event.pk}",
        )


def check_no_double_booking(result: scheduling.Schedule) -> None:
    """The database holds one meeting per table and slot; that no one is in two meetings of a slot is
    checked here, as two columns cannot say it."""
    seen: set[tuple[int, int]] = set()
    for m in result.assignments:
        for who in (m.a, m.b):
            if (m.slot, who) in seen:
                raise ValidationError({"meetings": f"参会方 {who} 在时段 {m.slot + 1} 有两场洽谈"})
            seen.add((m.slot, who))


LEAD_OUTCOMES = (Meeting.Outcome.INTEREST, Meeting.Outcome.FOLLOW_UP)


@transaction.atomic
def meeting_outcome(
    *,
    by: User | None,
    meeting: Meeting,
    outcome: str,
    note: str = "",
    demand: Any = None,
    achievement: Any = None,
) -> Meeting:
    """Record what came of a meeting. 意向 or 后续跟进 opens a lead (source 对接活动) on the meeting's demand
    and achievement (or those named, brought by either side), assigned to a manager by specialty and load."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if by is not None:
        require(permissions.can_record_outcome(by, meeting), "只有洽谈双方或主办方可以记录洽谈结果")
    if outcome not in Meeting.Outcome.values:
        allowed = "、".join(str(label) for label in Meeting.Outcome.labels)
        raise ValidationError({"outcome": f"洽谈结果“{outcome}”不存在，可选：{allowed}"})
    demand, achievement = brought_pair(meeting, demand, achievement)
    before = snapshot(meeting, ["outcome", "outcome_note"])
    meeting.outcome, meeting.outcome_note, meeting.outcome_by = outcome, note.strip(), by
    meeting.demand, meeting.achievement = demand, achievement
    if outcome in LEAD_OUTCOMES and meeting.lead_id is None:
        meeting.lead = lead_for(by, meeting)
    meeting.save()
    audit(
        actor=by,
        action="meeting_outcome",
        target=meeting.event,
        changes=diff(before, snapshot(meeting, list(before))),
    )
    return meeting


def brought_pair(meeting: Meeting, demand: Any, achievement: Any) -> tuple[Any, Any]:
    """The demand and achievement the outcome is about: named ones must be brought by either side."""
    sides = (meeting.registration_a, meeting.registration_b)
    if demand is not None and not any(s.demands.filter(pk=demand.pk).exists() for s in sides):
        raise ValidationError({"demand": f"需求“{demand.title}”不是洽谈双方带来的需求"})
    if achievement is not None and not any(s.achievements.filter(pk=achievement.pk).exists() for s in sides):
        raise ValidationError({"achievement": f"成果“{achievement.title}”不是洽谈双方带来的成果"})
    return demand or meeting.demand, achievement or meeting.achievement


def lead_for(by: User | None, meeting: Meeting) -> Lead:
    from fanxing.deals.services.leads import lead_create

    demand, achievement = meeting.demand, meeting.achievement
    if demand is None and achievement is None:
        for side in (meeting.registration_a, meeting.registration_b):
            achievement = achievement or side.achievements.first()
            demand = demand or side.demands.first()
    if demand is None and achievement is None:
        raise ValidationError({"outcome": "洽谈双方均未带来成果或需求，无法生成对接线索"})
    same = Lead.objects.filter(demand=demand, achievement=achievement, stage__in=OPEN_STAGES).first()
    if same is not None:  # already being followed up: the meeting joins that lead
        return same
    event = meeting.event
    a, b = meeting.registration_a.organisation, meeting.registration_b.organisation
    note = f"{event.title}（{timezone.localtime(event.starts_at):%Y-%m-%d}）{a}与{b}洽谈：{meeting.get_outcome_display()}"
    if meeting.outcome_note:
        note += f"。{meeting.outcome_note}"
    # The outcome's recorder opens the lead when deals allows it; otherwise (an organiser who is neither
    # side) the platform opens it on the event's behalf, audited under the outcome above.
    creator = by if by is not None and permissions.can_create_lead(by, demand, achievement) else None
    return lead_create(
        by=creator,
        demand=demand,
        achievement=achievement,
        source=Lead.Source.EVENT,
        note=note,
        score=meeting.value / 100 if meeting.value else None,
    )
