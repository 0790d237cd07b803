"""Demo events of 2025 (the seed report's 80余次对接活动): 82 events of the bureau, the universities and the
PoC platforms, published and then closed. Twelve fairs went the whole way: registrations with the
organisations' own published records, meeting requests, the schedule (`schedule_make`) and the outcomes
(`meeting_outcome`; 意向 and 后续跟进 open leads for managers). The other events have registrations and
check-ins only.

Events are written through `event_save`/`event_publish`/`event_close`. `registration_create` accepts
registrations only inside the window measured against today, and the windows of 2025 are past, so the
registrations are written with `Registration.objects` (each organisation once per event, a person of the
organisation, only its own published records: the rules the service checks). Seeded; events are known
by title, and loading again adds nothing.

One more fair lies ahead of the day the demo is loaded (`load_upcoming`): published, its registration open,
a few organisations registered through `registration_create` with their records and the meeting slots
they cannot attend, and a meeting request, but no schedule yet, so that 生成日程 can be tried.
"""

import datetime
import random
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone

from fanxing.achievements.models import Achievement
from fanxing.core.models import Organisation, TechField
from fanxing.core.workflow import Status
from fanxing.demands.models import Demand
from fanxing.events.models import Event, Meeting, Registration
from fanxing.events.services import (
    event_close,
    event_publish,
    event_save,
    meeting_outcome,
    meeting_request,
    meeting_request_answer,
    registration_create,
    schedule_make,
)

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

YEAR = 2025
EVENTS = 82
FULL_FAIRS = 12  # fairs with meetings scheduled and outcomes recorded
COMPETITION_TITLE = "2025“千创汇·智崂山”创新创业大赛决赛路演"
BUREAU = "崂山区科学技术局"
ORGANISERS = (
    BUREAU,
    BUREAU,
    BUREAU,
    "青岛大学",
    "中国海洋大学",
    "山东大学（青岛）",
    "中国石油大学（华东）",
    "青岛科技大学",
    "崂山区海洋生物医药概念验证中心",
    "崂山区人工智能与虚拟现实概念验证中心",
    "崂山区智能制造概念验证中心",
    "崂山区技术转移服务中心",
)
# kind, its share of the events besides the competition, title pattern
KINDS = (
    (Event.Kind.FAIR, 0.6, "{field}领域技术供需对接会（第{n}期）"),
    (Event.Kind.ROADSHOW, 0.25, "{field}科技成果路演（第{n}期）"),
    (Event.Kind.TRAINING, 0.15, "{field}成果转化实务培训（第{n}期）"),
)
PLACES = (
    "崂山区科技创新中心报告厅",
    "青岛国际创新园会议中心",
    "青岛大学科技园路演厅",
    "中国海洋大学崂山校区学术交流中心",
    "崂山区政务服务中心多功能厅",
)
OUTCOMES: tuple[tuple[str, float, str], ...] = (
    (Meeting.Outcome.INTEREST, 0.25, "双方有合作意向，约定近期实地考察"),
    (Meeting.Outcome.FOLLOW_UP, 0.15, "企业需内部评估，请技术经理人后续跟进"),
    (Meeting.Outcome.NONE, 0.6, "技术路线与企业需求暂不匹配"),
)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def plan_events(rng: random.Random, fields: list[TechField]) -> list[dict[str, Any]]:
    """82 events spread over 2025 (Jan 8 – Dec 18), the competition's final in September."""
    kinds = [k for k, share, _ in KINDS for _ in range(round(share * (EVENTS - 1)))][: EVENTS - 1]
    while len(kinds) < EVENTS - 1:
        kinds.append(Event.Kind.FAIR)
    rng.shuffle(kinds)
    patterns = {k: p for k, _, p in KINDS}
    counters: dict[tuple[str, str], int] = {}
    plans = []
    for i, kind in enumerate(kinds):
        # 8 January to 26 November: the 2025 leaderboard counts to 30 November
        day = datetime.date(YEAR, 1, 8) + datetime.timedelta(days=round(i * 322 / (EVENTS - 2)))
        field = fields[rng.randrange(len(fields))]
        n = counters[(kind, field.code)] = counters.get((kind, field.code), 0) + 1
        plans.append(
            {
                "kind": kind,
                "title": f"{YEAR}年" + patterns[kind].format(field=field.name, n=n),
                "field": field,
                "day": day,
                "organiser": ORGANISERS[i % len(ORGANISERS)],
                "place": PLACES[rng.randrange(len(PLACES))],
            }
        )
    final = {
        "kind": Event.Kind.COMPETITION,
        "title": COMPETITION_TITLE,
        "field": None,
        "day": datetime.date(YEAR, 9, 18),
        "organiser": BUREAU,
        "place": "崂山区科技创新中心报告厅",
    }
    return [*plans, final]


def event_fields(plan: dict[str, Any], full: bool) -> dict[str, Any]:
    day, kind = plan["day"], plan["kind"]
    theme = (
        "“千创汇·智崂山”创新创业大赛决赛：参赛项目现场路演、评委打分、颁奖"
        if plan["field"] is None
        else f"围绕{plan['field'].name}领域，发布高校院所科技成果与企业技术需求，促成供需双方对接"
    )
    fields = {
        "kind": kind,
        "title": plan["title"],
        "theme": theme,
        "starts_at": at(day, 9),
        "ends_at": at(day, 17),
        "place": plan["place"],
        "capacity": 60 if kind == Event.Kind.FAIR else 40,
        "registration_opens": at(day - datetime.timedelta(days=21), 9),
        "registration_closes": at(day - datetime.timedelta(days=2), 17),
    }
    if full:
        fields |= {"slot_count": 5, "slot_minutes": 20, "first_slot_at": at(day, 14), "tables": 6}
    return fields


def load_events(ctx: "DemoContext") -> str:
    rng = random.Random(5)
    fields = list(TechField.objects.filter(parent__isnull=True, active=True).order_by("order", "code"))
    plans = plan_events(rng, fields)
    existing = set(
        Event.objects.filter(title__in=[p["title"] for p in plans]).values_list("title", flat=True)
    )
    fairs = [p for p in plans if p["kind"] == Event.Kind.FAIR]
    full_titles = {p["title"] for p in fairs[:: max(1, len(fairs) // FULL_FAIRS)][:FULL_FAIRS]}
    made = 0
    for plan in plans:
        if plan["title"] in existing:
            continue
        full = plan["title"] in full_titles
        event = event_save(
            by=None,
            fields=event_fields(plan, full) | {"organiser": ctx.organisations[plan["organiser"]]},
            theme_fields=[plan["field"]] if plan["field"] else [],
        )
        event = event_publish(by=None, event=event)
        if full:
            run_fair(ctx, event, plan["field"], rng)
        else:
            register_crowd(ctx, event, rng)
        event_close(by=None, event=event)
        event.registrations.update(created_at=event.registration_opens + datetime.timedelta(days=3))
        made += 1
    upcoming = load_upcoming(ctx, rng)
    in_year = Event.objects.filter(starts_at__year=YEAR)
    held = Meeting.objects.filter(event__in=in_year)
    by_kind = {k: n for k, n in in_year.values_list("kind").annotate(n=Count("id")).order_by()}
    kinds = "，".join(f"{Event.Kind(k).label} {by_kind.get(k, 0)}" for k in Event.Kind.values)
    return (
        f"{YEAR} 年活动 {in_year.count()} 场（{kinds}；新建 {made} 场），"
        f"报名 {Registration.objects.filter(event__in=in_year).count()} 家次，"
        f"洽谈 {held.count()} 场（记录结果 {held.exclude(outcome='').count()} 场）、"
        f"形成线索 {held.filter(lead__isnull=False).values('lead').distinct().count()} 条；{upcoming}"
    )


UPCOMING_TITLE = "海洋科技成果与企业需求对接会"
UPCOMING_FIELD = "marine"


def load_upcoming(ctx: "DemoContext", rng: random.Random) -> str:
    """A fair two weeks after the day the demo is loaded, open for registration, with five organisations
    registered (two of them unable to attend a slot each) and one meeting request; no schedule yet."""
    event = Event.objects.filter(title=UPCOMING_TITLE).first()
    if event is None:
        day = timezone.localdate() + datetime.timedelta(days=14)
        field = TechField.objects.get(code=UPCOMING_FIELD)
        plan = {"kind": Event.Kind.FAIR, "title": UPCOMING_TITLE, "field": field, "day": day}
        plan["place"] = "崂山区科技创新中心 3 楼"
        fields = event_fields(plan, full=True) | {
            "organiser": ctx.organisations[BUREAU],
            "registration_opens": timezone.now() - datetime.timedelta(days=3),
        }
        event = event_publish(by=None, event=event_save(by=None, fields=fields, theme_fields=[field]))
        register_upcoming(ctx, event, field, rng)
    return (
        f"即将举办：{event.title}（{timezone.localtime(event.starts_at):%Y-%m-%d}，"
        f"报名 {event.registrations.count()} 家，尚未排程）"
    )


def register_upcoming(ctx: "DemoContext", event: Event, field: TechField, rng: random.Random) -> None:
    published = {"status": Status.PUBLISHED, "field__parent": field}
    demands = list(Demand.objects.filter(**published).order_by("ref")[:20])
    achievements = list(Achievement.objects.filter(**published).order_by("ref")[:30])
    brought: dict[int, tuple[list[Any], list[Any]]] = {}
    for d in rng.sample(demands, min(2, len(demands))):
        brought.setdefault(d.organisation_id, ([], []))[1].append(d)
    for a in rng.sample(achievements, min(3, len(achievements))):
        brought.setdefault(a.organisation_id, ([], []))[0].append(a)
    organisations = Organisation.objects.in_bulk(list(brought))
    registrations = []
    for n, (org_id, (achs, dems)) in enumerate(sorted(brought.items())):
        person = ctx.owners.get(organisations[org_id].name)
        if person is None:
            continue
        away = [n % event.slot_count] if n % 2 else []  # every other one cannot attend one slot
        registrations.append(
            registration_create(
                by=person, event=event, achievements=achs, demands=dems, unavailable_slots=away
            )
        )
    asking = next((r for r in registrations if r.demands.exists()), None)
    holder = next((r for r in registrations if r.achievements.exists() and r != asking), None)
    if asking and holder:
        meeting_request(
            by=asking.person, from_registration=asking, to_registration=holder, note="希望了解转化条件"
        )


def participants(ctx: "DemoContext", rng: random.Random, count: int) -> list[Organisation]:
    names = sorted(name for name in ctx.owners if name in ctx.organisations)
    return [ctx.organisations[n] for n in rng.sample(names, min(count, len(names)))]


def register_crowd(ctx: "DemoContext", event: Event, rng: random.Random) -> None:
    """Registrations (most checked in) of organisations that bring no records: bulk, as it was."""
    rows = [
        Registration(
            event=event,
            organisation=org,
            person=ctx.owners[org.name],
            checked_in_at=event.starts_at + datetime.timedelta(minutes=rng.randint(-30, 20))
            if rng.random() < 0.85
            else None,
        )
        for org in participants(ctx, rng, rng.randint(12, min(event.capacity, 36)))
    ]
    Registration.objects.bulk_create(rows)


def run_fair(ctx: "DemoContext", event: Event, field: TechField, rng: random.Random) -> None:
    """Enterprises with their published demands and institutions with their published achievements of the
    theme meet one to one: a few requests, the schedule, then an outcome for every meeting."""
    demands = list(Demand.objects.filter(status=Status.PUBLISHED, field__parent=field).order_by("ref")[:40])
    achievements = list(
        Achievement.objects.filter(status=Status.PUBLISHED, field__parent=field).order_by("ref")[:60]
    )
    brought: dict[int, tuple[list[Any], list[Any]]] = {}
    for d in rng.sample(demands, min(8, len(demands))):
        brought.setdefault(d.organisation_id, ([], []))[1].append(d)
    for a in rng.sample(achievements, min(10, len(achievements))):
        brought.setdefault(a.organisation_id, ([], []))[0].append(a)
    organisations = Organisation.objects.in_bulk(list(brought))
    registrations = []
    for org_id, (achs, dems) in sorted(brought.items()):
        organisation = organisations[org_id]
        person = ctx.owners.get(organisation.name)
        if person is None:
            continue
        registration = Registration.objects.create(
            event=event,
            organisation=organisation,
            person=person,
            checked_in_at=at(event.starts_at.date(), 8, 40 + rng.randint(0, 15)),
        )
        registration.achievements.set(achs)
        registration.demands.set(dems)
        registrations.append(registration)
    enterprises = [r for r in registrations if r.demands.exists()]
    holders = [r for r in registrations if r.achievements.exists()]
    for r in enterprises[:3]:
        target = holders[rng.randrange(len(holders))] if holders else None
        if target is None or target.organisation_id == r.organisation_id:
            continue
        request = meeting_request(
            by=r.person, from_registration=r, to_registration=target, note="希望详细了解该成果的转化条件"
        )
        meeting_request_answer(by=target.person, request=request, accept=rng.random() < 0.8)
    if len(registrations) < 2:
        return
    schedule_make(by=None, event=event)
    for meeting in event.meetings.select_related("registration_a", "registration_b").order_by(
        "slot", "table"
    ):
        outcome, note = pick_outcome(rng)
        if outcome != Meeting.Outcome.NONE and meeting.demand_id is None and meeting.achievement_id is None:
            if not (meeting.registration_a.achievements.exists() or meeting.registration_b.demands.exists()):
                outcome, note = Meeting.Outcome.NONE, OUTCOMES[-1][2]
        meeting_outcome(by=None, meeting=meeting, outcome=outcome, note=note)


def pick_outcome(rng: random.Random) -> tuple[str, str]:
    x = rng.random()
    for outcome, share, note in OUTCOMES:
        if x < share:
            return outcome, note
        x -= share
    return OUTCOMES[-1][0], OUTCOMES[-1][2]
