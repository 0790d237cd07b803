"""Writes on events (对接活动): the event, registration and check-in, curation by matching and the
organiser's invitations, meeting requests, the schedule of one-to-one meetings and their outcomes (an
interest becomes a lead). Each one atomic, checked through fanxing.accounts.permissions, audited;
`by=None` is the platform (the CLI)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import allowed_fields, audit, diff, notify, require, snapshot
from fanxing.core.workflow import Status
from fanxing.deals.models import OPEN_STAGES, Lead
from fanxing.events import scheduling
from fanxing.events.models import Event, Invitation, Meeting, MeetingRequest, Registration
from fanxing.events.selectors import MIN_PAIR_PERCENT, curation, pair_values

EVENT_FIELDS = [
    "kind",
    "title",
    "theme",
    "organiser",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "registration_opens",
    "registration_closes",
    "slot_count",
    "slot_minutes",
    "first_slot_at",
    "tables",
]
OPEN = (Event.Status.PUBLISHED,)
# A value for a requested meeting between participants who bring no pair the engine can value.
REQUESTED_BASE_VALUE = 1


def check_manage(by: User | None, event: Event) -> None:
    if by is not None:
        require(
            permissions.can_manage_event(by, event),
            "只有主办机构的管理员、工作人员或科技局管理员可以管理该活动",
        )


def check_event(event: Event) -> None:
    """Raise a ValidationError naming each field at fault."""
    times = ("starts_at", "ends_at", "registration_opens", "registration_closes")
    if any(getattr(event, name) is None for name in times):
        event.full_clean(exclude=["created_by"], validate_constraints=False)  # names each missing field
    errors: dict[str, str] = {}
    if event.ends_at < event.starts_at:
        errors["ends_at"] = "结束时间不能早于开始时间"
    if event.registration_closes < event.registration_opens:
        errors["registration_closes"] = "报名截止不能早于报名开始"
    elif event.registration_closes > event.ends_at:
        errors["registration_closes"] = "报名截止不能晚于活动结束"
    if not event.place.strip() and not event.online_url.strip():
        errors["place"] = "请填写地点或线上地址"
    if event.slot_count:
        if event.first_slot_at is None:
            errors["first_slot_at"] = "设置洽谈时段时须填写首个时段开始时间"
        elif not event.starts_at <= event.first_slot_at <= event.ends_at:
            errors["first_slot_at"] = "首个时段须在活动时间之内"
        elif event.slot_end(event.slot_count - 1) > event.ends_at:
            errors["slot_count"] = f"{event.slot_count} 个 {event.slot_minutes} 分钟的时段超出了活动结束时间"
        if not event.tables:
            errors["tables"] = "设置洽谈时段时洽谈桌数至少为 1"
        if not event.slot_minutes:
            errors["slot_minutes"] = "每时段分钟数至少为 1"
    if errors:
        raise ValidationError(errors)
    event.full_clean(
        exclude=["created_by"], validate_constraints=False
    )  # the constraints' rules are the checks above, named


@transaction.atomic
def event_save(
    *, by: User | None, fields: dict[str, Any], theme_fields: Any = None, event: Event | None = None
) -> Event:
    """Create an event (a draft) or change one. The organiser defaults to the creator's organisation."""
    allowed_fields(fields, EVENT_FIELDS)
    creating = event is None
    if event is None:
        organiser = fields.get("organiser") or (by.organisation if by is not None else None)
        if organiser is None:
            raise ValidationError({"organiser": "请选择主办机构"})
        if by is not None:
            require(permissions.can_create_event_for(by, organiser.pk), "只能以本机构名义举办活动")
        event = Event(organiser=organiser, created_by=by)
    else:
        event = Event.objects.select_for_update().get(pk=event.pk)
        check_manage(by, event)
        if "organiser" in fields and fields["organiser"].pk != event.organiser_id:
            if by is not None:
                require(permissions.is_admin(by), "只有科技局管理员可以更换主办机构")
    before = {} if creating else snapshot(event, EVENT_FIELDS)
    for name, value in fields.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    check_event(event)
    event.save()
    if theme_fields is not None:
        event.theme_fields.set(theme_fields)
    audit(
        actor=by,
        action="event_create" if creating else "event_update",
        target=event,
        changes=diff(before, snapshot(event, EVENT_FIELDS)),
    )
    return event


@transaction.atomic
def event_publish(*, by: User | None, event: Event) -> Event:
    """Publish a draft: the event shows to everyone and registration follows its window."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_manage(by, event)
    if event.status != Event.Status.DRAFT:
        raise ValidationError({"status": f"活动{event.get_status_display()}，不能再发布"})
    check_event(event)
    event.status = Event.Status.PUBLISHED
    event.save(update_fields=["status"])
    audit(actor=by, action="event_publish", target=event, changes={"status": ["draft", "published"]})
    return event


@transaction.atomic
def event_close(*, by: User | None, event: Event) -> Event:
    """End a published event: no more registrations or requests; outcomes may still be recorded."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_manage(by, event)
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError({"status": f"活动{event.get_status_display()}，不能结束"})
    event.status = Event.Status.CLOSED
    event.save(update_fields=["status"])
    audit(actor=by, action="event_close", target=event, changes={"status": ["published", "closed"]})
    return event


# Registration -------------------------------------------------------------------------------------------


def check_brought(organisation: Any, achievements: list[Any], demands: list[Any]) -> None:
    for key, records, label in (("achievements", achievements, "成果"), ("demands", demands, "需求")):
        strangers = [r for r in records if r.organisation_id != organisation.pk]
        if strangers:
            names = "、".join(f"“{r.title}”" for r in strangers)
            raise ValidationError({key: f"{label}{names}不属于{organisation}，只能带来本机构的{label}"})
        unpublished = [r for r in records if r.status != Status.PUBLISHED]
        if unpublished:
            names = "、".join(f"“{r.title}”" for r in unpublished)
            raise ValidationError({key: f"{label}{names}尚未发布，只能带来已发布的{label}"})


@transaction.atomic
def registration_create(
    *,
    by: User,
    event: Event,
    organisation: Any = None,
    achievements: list[Any] | tuple[Any, ...] = (),
    demands: list[Any] | tuple[Any, ...] = (),
) -> Registration:
    """Register an organisation (the user's own unless a bureau admin names one) with the person who comes
    (the user) and the achievements and demands it brings: inside the window, within capacity, once."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    organisation = organisation or by.organisation
    if organisation is None:
        raise ValidationError({"organisation": "请先加入一个机构再报名"})
    require(permissions.can_register(by, organisation.pk), "只能为本机构报名")
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError({"event": f"活动{event.get_status_display()}，不能报名"})
    now = timezone.now()
    opens, closes = (
        timezone.localtime(event.registration_opens),
        timezone.localtime(event.registration_closes),
    )
    if now < event.registration_opens:
        raise ValidationError({"event": f"报名尚未开始（{opens:%Y-%m-%d %H:%M} 开始）"})
    if now > event.registration_closes:
        raise ValidationError({"event": f"报名已截止（{closes:%Y-%m-%d %H:%M}）"})
    if event.registrations.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation}已报名该活动"})
    taken = event.registrations.count()
    if taken >= event.capacity:
        raise ValidationError({"event": f"活动已满员（上限 {event.capacity} 家机构）"})
    achievements, demands = list(achievements), list(demands)
    check_brought(organisation, achievements, demands)
    registration = Registration.objects.create(event=event, organisation=organisation, person=by)
    registration.achievements.set(achievements)
    registration.demands.set(demands)
    event.invitations.filter(organisation=organisation).exclude(status=Invitation.Status.REMOVED).update(
        status=Invitation.Status.REGISTERED
    )
    audit(
        actor=by,
        action="event_register",
        target=event,
        changes={
            "organisation": [None, str(organisation)],
            "achievements": [None, [a.title for a in achievements]],
            "demands": [None, [d.title for d in demands]],
        },
    )
    return registration


@transaction.atomic
def check_in(*, by: User | None, registration: Registration) -> Registration:
    """Mark a participant arrived (签到), once."""
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    check_manage(by, registration.event)
    if registration.checked_in_at is not None:
        at = timezone.localtime(registration.checked_in_at)
        raise ValidationError({"checked_in_at": f"{registration.organisation}已于 {at:%H:%M} 签到"})
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    audit(
        actor=by,
        action="event_check_in",
        target=registration.event,
        changes={"checked_in": [None, str(registration.organisation)]},
    )
    return registration


# Curation -----------------------------------------------------------------------------------------------


@transaction.atomic
def curation_proposals(*, by: User | None, event: Event) -> list[Invitation]:
    """Ask the matching engine which achievements, demands and enterprises fit the event's theme and store
    them as proposals (score, reasons). A refresh updates scores and reasons, keeps the organiser's
    decisions, and drops proposals no longer proposed."""
    check_manage(by, event)
    proposals = curation(event)
    kept: list[int] = []
    for p in proposals:
        key: dict[str, Any] = {"event": event}
        if p.achievement is not None:
            key["achievement"] = p.achievement
        elif p.demand is not None:
            key["demand"] = p.demand
        else:
            key |= {"organisation": p.organisation, "achievement": None, "demand": None}
        invitation, _ = Invitation.objects.update_or_create(
            **key, defaults={"organisation": p.organisation, "score": p.score, "reasons": list(p.reasons)}
        )
        kept.append(invitation.pk)
    event.invitations.filter(status=Invitation.Status.PROPOSED).exclude(pk__in=kept).delete()
    audit(actor=by, action="event_curate", target=event, changes={"proposals": [None, len(kept)]})
    return list(event.invitations.select_related("organisation", "achievement", "demand"))


MOVES = {
    "accept": ((Invitation.Status.PROPOSED, Invitation.Status.REMOVED), Invitation.Status.ACCEPTED, "采纳"),
    "remove": (
        (Invitation.Status.PROPOSED, Invitation.Status.ACCEPTED, Invitation.Status.INVITED),
        Invitation.Status.REMOVED,
        "移除",
    ),
    "invite": ((Invitation.Status.PROPOSED, Invitation.Status.ACCEPTED), Invitation.Status.INVITED, "邀请"),
}


@transaction.atomic
def invitation_move(*, by: User | None, invitation: Invitation, action: str) -> Invitation:
    """The organiser accepts (采纳), removes (移除) or invites (邀请: a notice to the organisation's editors)."""
    if action not in MOVES:
        raise ValidationError({"action": f"未知的操作：{action}"})
    invitation = (
        Invitation.objects.select_for_update().select_related("event", "organisation").get(pk=invitation.pk)
    )
    check_manage(by, invitation.event)
    sources, target, label = MOVES[action]
    if invitation.status not in sources:
        raise ValidationError({"status": f"该推荐{invitation.get_status_display()}，不能{label}"})
    before = invitation.status
    invitation.status = target
    invitation.save(update_fields=["status", "updated_at"])
    if action == "invite":
        send_invitation(invitation)
    audit(
        actor=by,
        action=f"invitation_{action}",
        target=invitation.event,
        changes={str(invitation): [before, target]},
    )
    return invitation


def invitation_accept(*, by: User | None, invitation: Invitation) -> Invitation:
    return invitation_move(by=by, invitation=invitation, action="accept")


def invitation_remove(*, by: User | None, invitation: Invitation) -> Invitation:
    return invitation_move(by=by, invitation=invitation, action="remove")


def invitation_invite(*, by: User | None, invitation: Invitation) -> Invitation:
    return invitation_move(by=by, invitation=invitation, action="invite")


def send_invitation(invitation: Invitation) -> None:
    event = invitation.event
    users = User.objects.filter(
        organisation=invitation.organisation, role__in=permissions.EDITOR_ROLES, is_active=True
    )
    about = (
        f"（{invitation.kind_label}：{invitation}）"
        if invitation.achievement_id or invitation.demand_id
        else ""
    )
    when = timezone.localtime(event.starts_at)
    notify(
        users=users,
        subject=f"邀请参加{event.get_kind_display()}：{event.title}",
        body=f"{event.organiser}邀请贵单位参加“{event.title}”{about}，时间 {when:%Y-%m-%d %H:%M}，"
        f"地点 {event.place or event.online_url}。",
        url=event.get_absolute_url(),
        key=f"event-invite-{event.pk}-{invitation.organisation_id}",
    )


# Meetings ----------------------------------------------------------------------------------------------


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
