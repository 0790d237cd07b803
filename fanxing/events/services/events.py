"""Writes on the event itself and its registrations: save, publish, close; registration inside the window
and the capacity, with the organisation's own published records; check-in."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import allowed_fields, audit, diff, require, snapshot
from fanxing.core.workflow import Status
from fanxing.events.models import Event, Invitation, Registration

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
    unavailable_slots: Iterable[Any] = (),
) -> Registration:
    """Register an organisation (the user's own unless a bureau admin names one) with the person who comes
    (the user), the achievements and demands it brings and the meeting slots it cannot attend: inside the
    window, within capacity, once."""
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
    slots = checked_slots(event, unavailable_slots)
    registration = Registration.objects.create(
        event=event, organisation=organisation, person=by, unavailable_slots=slots
    )
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


def checked_slots(event: Event, slots: Iterable[Any]) -> list[int]:
    """Meeting slots as the event's slot numbers (from 0), sorted, once each; ValidationError naming a slot
    the event does not have."""
    found = set()
    for slot in slots:
        try:
            number = int(slot)
        except (TypeError, ValueError):
            raise ValidationError({"unavailable_slots": f"时段“{slot}”不是时段序号"}) from None
        if not 0 <= number < event.slot_count:
            raise ValidationError(
                {"unavailable_slots": f"本活动没有第 {number + 1} 时段（共 {event.slot_count} 个时段）"}
            )
        found.add(number)
    return sorted(found)


@transaction.atomic
def registration_availability_set(
    *, by: User | None, registration: Registration, slots: Iterable[Any]
) -> Registration:
    """The meeting slots a participant cannot attend, set by the participant or the organiser until the event
    closes. Meetings already scheduled in them stay until the organiser schedules again (the schedule page
    names them)."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("event", "organisation")
        .get(pk=registration.pk)
    )
    event = registration.event
    if by is not None:
        require(
            permissions.acts_for_registration(by, registration) or permissions.can_manage_event(by, event),
            "只有参会方本人或主办方可以修改不能参加的时段",
        )
    if event.status == Event.Status.CLOSED:
        raise ValidationError({"event": "活动已结束，不能再修改时段"})
    before = list(registration.unavailable_slots)
    registration.unavailable_slots = checked_slots(event, slots)
    registration.save(update_fields=["unavailable_slots"])
    if before != registration.unavailable_slots:
        audit(
            actor=by,
            action="event_availability",
            target=event,
            changes={str(registration.organisation): [before, registration.unavailable_slots]},
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
