"""What each demo record will be, decided without a database: owner, TRL, price, team, patents, history.

Every choice comes from a `random.Random` seeded with the record number, so a record is the same on every
machine and every run. Dates of published records fall in 2025 (the year of the leaderboard); records
still in review are dated in the weeks before `now`, and demand deadlines count from `now`'s date.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from fanxing.core.demo.catalogue import (
    CONFIDENTIAL_NOTES,
    DEMAND_RETURN_REASONS,
    GENERALISTS,
    GIVEN,
    INSTITUTIONS,
    LEAD_TITLES,
    MEMBER_TITLES,
    RETURN_REASONS,
    SURNAMES,
    OrgSpec,
)
from fanxing.core.demo.data import (
    PUBLISHED_DEMANDS,
    DemandRow,
    DemoData,
    Paper,
    achievement_ref,
    demand_ref,
)
from fanxing.core.validators import patent_check_char
from fanxing.core.workflow import Status, Visibility, join_keywords

SEED = "fanxing-demo-2025"
TZ = ZoneInfo("Asia/Shanghai")
YEAR_START = datetime(2025, 1, 2, tzinfo=TZ)
YEAR_DAYS = 352  # the range of the seeded draw (kept, so every later draw of the stream stays the same)
PUBLISHED_DAYS = 333  # published from 2 January to 30 November 2025, the 2025 leaderboard's 统计截至

ALL_WAYS = ("transfer", "licence", "equity", "joint", "development", "service")
WAY_WEIGHTS = (5, 5, 2, 3, 3, 2)
EXTRA_STATES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.SUBMITTED, Status.WITHDRAWN)
DEMAND_STATES = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.WITHDRAWN,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.EXPIRED,
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.WITHDRAWN,
    Status.EXPIRED,
)
VISIBILITIES = (Visibility.PUBLIC, Visibility.REGISTERED, Visibility.PRIVATE)
TRL_RANGE = {"理学": (2, 5), "医学": (3, 7), "农学": (3, 8), "工学": (3, 9)}


@dataclass(frozen=True)
class Event:
    """One step of a record's history, written to the audit log: who (owner, reviewer, system), what, when."""

    action: str  # create, submit, publish, return, withdraw, expire
    at: datetime
    by: str
    reason: str = ""


@dataclass(frozen=True)
class AchievementPlan:
    """Every value of one demo achievement, with its patents, team and history."""

    ref: str
    paper: Paper
    owner: str
    trl: int
    ways: tuple[str, ...]
    price: tuple[bool, Decimal | None, Decimal | None]
    team: tuple[tuple[str, str, bool], ...]
    patents: tuple[tuple[str, str, str], ...]  # number, title, legal status
    status: str
    visibility: str
    contact: tuple[str, str, str]
    confidential: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class DemandPlan:
    """Every value of one demo demand, with its deadline and history."""

    ref: str
    row: DemandRow
    answer_ref: str
    field_code: str
    status: str
    visibility: str
    budget: tuple[bool, Decimal | None, Decimal | None]
    deadline: date
    confidential: str
    events: tuple[Event, ...]


def rng_for(ref: str) -> random.Random:
    return random.Random(f"{SEED}:{ref}")


def plan_achievements(data: DemoData, now: datetime) -> list[AchievementPlan]:
    """The 411 published achievements, then the extra ones in other states."""
    answers: dict[str, list[DemandRow]] = {}
    for row in data.demands:
        answers.setdefault(row.answer, []).append(row)
    plans = [
        plan_achievement(achievement_ref(i), paper, Status.PUBLISHED, answers.get(paper.csl_id, []), now)
        for i, paper in enumerate(data.papers)
    ]
    # 青岛大学 takes the extra records in its own disciplines, in every state, so its staff see them all.
    offset, qdu, turns = len(data.papers), institution("青岛大学"), {True: 0, False: 0}
    for j, paper in enumerate(data.extra_papers):
        ours = paper.discipline in qdu.disciplines
        status = EXTRA_STATES[turns[ours] % len(EXTRA_STATES)]
        turns[ours] += 1
        plans.append(
            plan_achievement(
                achievement_ref(offset + j), paper, status, [], now, owner=qdu.name if ours else None
            )
        )
    return plans


def plan_achievement(
    ref: str, paper: Paper, status: str, answers: list[DemandRow], now: datetime, owner: str | None = None
) -> AchievementPlan:
    rng = rng_for(ref)
    org = owner_for(rng, paper) if owner is None else institution(owner)
    trl = max([pick_trl(rng, paper.category), *(d.min_trl for d in answers)])
    ways = pick_ways(rng, trl)
    for demand in answers:  # the answer must offer one of the ways the demand asks for
        if demand.ways and not set(ways) & set(demand.ways):
            ways = (*ways, demand.ways[0])
    team = pick_team(rng, org)
    visibility = Visibility.PUBLIC if status == Status.PUBLISHED else VISIBILITIES[rng.randrange(3)]
    return AchievementPlan(
        ref=ref,
        paper=paper,
        owner=org.name,
        trl=trl,
        ways=ways,
        price=pick_price(rng, trl, answers),
        team=team,
        patents=pick_patents(rng, paper),
        status=status,
        visibility=visibility,
        contact=(team[0][0], phone(rng), f"{org.slug}-tto@example.com"),
        confidential=rng.choice(CONFIDENTIAL_NOTES) if rng.random() < 0.4 else "",
        events=history(rng, status, now, RETURN_REASONS),
    )


def plan_demands(data: DemoData, now: datetime) -> list[DemandPlan]:
    """The demands in file order: the first 118 published, the rest in the other states (expired included)."""
    refs = data.achievement_refs
    fields = {p.csl_id: p.field_code for p in data.papers}
    plans = []
    for i, row in enumerate(data.demands):
        ref = demand_ref(i)
        rng = rng_for(ref)
        status = Status.PUBLISHED if i < PUBLISHED_DEMANDS else DEMAND_STATES[(i - PUBLISHED_DEMANDS) % 12]
        events = history(rng, status, now, DEMAND_RETURN_REASONS)
        deadline = open_deadline(row, now)
        if status == Status.EXPIRED:
            published = next(e.at for e in events if e.action == "publish")
            deadline = (published + timedelta(days=60)).date()
            events = (
                *events,
                Event(
                    "expire",
                    datetime.combine(deadline + timedelta(days=1), time(2), TZ),
                    "system",
                    f"截止日期 {deadline} 已过",
                ),
            )
        plans.append(
            DemandPlan(
                ref=ref,
                row=row,
                answer_ref=refs[row.answer],
                field_code=fields[row.answer],
                status=status,
                visibility=Visibility.PUBLIC
                if status in (Status.PUBLISHED, Status.EXPIRED)
                else VISIBILITIES[rng.randrange(3)],
                budget=budget(row),
                deadline=deadline,
                confidential="现有产线工艺参数和样品可在现场对接时提供。" if rng.random() < 0.3 else "",
                events=events,
            )
        )
    return plans


def open_deadline(row: DemandRow, now: datetime) -> date:
    """A published demand stays open: its deadline is at least two weeks after today."""
    return now.astimezone(TZ).date() + timedelta(days=max(row.deadline_days, 14))


def budget(row: DemandRow) -> tuple[bool, Decimal | None, Decimal | None]:
    low, high = row.budget_min, row.budget_max
    if low is None and high is None:
        return True, None, None
    low, high = (low if low is not None else high), (high if high is not None else low)
    return False, Decimal(str(low)), Decimal(str(max(low, high)))  # type: ignore[type-var]


def institution(name: str) -> OrgSpec:
    return next(spec for spec in INSTITUTIONS if spec.name == name)


def owner_for(rng: random.Random, paper: Paper) -> OrgSpec:
    """An institution that works in the paper's field or discipline; those that list it early are likelier."""
    candidates, weights = [], []
    for spec in INSTITUTIONS:
        topic = next((t for t in (paper.field_code, paper.discipline) if t in spec.disciplines), None)
        if topic:
            candidates.append(spec)
            weights.append(3 if spec.disciplines.index(topic) < 4 else 1)
    if not candidates:
        return institution(rng.choice(GENERALISTS))
    return rng.choices(candidates, weights)[0]


def pick_trl(rng: random.Random, category: str) -> int:
    low, high = TRL_RANGE.get(category, (3, 8))
    return rng.randint(low, high)


def pick_ways(rng: random.Random, trl: int) -> tuple[str, ...]:
    weights = list(WAY_WEIGHTS)
    if trl <= 4:  # early results are developed further together rather than sold
        weights[ALL_WAYS.index("joint")] += 3
        weights[ALL_WAYS.index("development")] += 3
    count = rng.choice((1, 2, 2, 3))
    chosen: list[str] = []
    while len(chosen) < count:
        way = rng.choices(ALL_WAYS, weights)[0]
        if way not in chosen:
            chosen.append(way)
    return tuple(sorted(chosen, key=ALL_WAYS.index))


PATENT_TAILS = {"工学": "系统及方法", "医学": "制剂及其制备方法", "农学": "处理方法", "理学": "分析方法"}
PRICE_STEPS = (5, 10, 15, 20, 30, 50, 80, 100, 150, 200, 300, 500, 800)


def pick_price(
    rng: random.Random, trl: int, answers: list[DemandRow]
) -> tuple[bool, Decimal | None, Decimal | None]:
    """面议 for about a third; otherwise a fixed price or a range in 万元, higher for more mature results."""
    roll = rng.random()
    if roll < 0.3:
        return True, None, None
    base = min(len(PRICE_STEPS) - 3, max(0, trl - 2 + rng.randint(-1, 2)))
    low = Decimal(PRICE_STEPS[base])
    high = low if roll < 0.55 else Decimal(PRICE_STEPS[base + rng.randint(1, 2)])
    for demand in answers:  # a price within reach of the demand that it answers
        if demand.budget_max is not None and low > Decimal(str(demand.budget_max)):
            high = Decimal(str(demand.budget_max))
            low = min(high, Decimal(str(demand.budget_min))) if demand.budget_min is not None else high
    return False, low, high


def person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def pick_team(rng: random.Random, org: OrgSpec) -> tuple[tuple[str, str, bool], ...]:
    """A lead (教授 at a university, 研究员 at an institute) and one to four members; no name twice."""
    size, names = rng.randint(2, 5), []
    while len(names) < size:
        name = person(rng)
        if name not in names:
            names.append(name)
    lead_title = LEAD_TITLES[org.kind][0]
    return (
        (names[0], lead_title, True),
        *((n, rng.choice(MEMBER_TITLES[org.kind]), False) for n in names[1:]),
    )


def patent_number(rng: random.Random, kind_digit: str) -> tuple[str, int]:
    year = rng.randint(2017, 2024)
    digits = f"{year}{kind_digit}{rng.randint(0, 9_999_999):07d}"
    return f"ZL{digits}.{patent_check_char(digits)}", year


def pick_patents(rng: random.Random, paper: Paper) -> tuple[tuple[str, str, str], ...]:
    """About a third of the achievements hold one or two Chinese patents (invention or utility model)."""
    if rng.random() >= 0.34:
        return ()
    patents = []
    subjects = [*paper.keywords[:2]] or [paper.title[:20]]
    for i in range(1 if rng.random() < 0.7 else 2):
        invention = i == 0 or rng.random() < 0.5
        number, year = patent_number(rng, "1" if invention else "2")
        subject = subjects[min(i, len(subjects) - 1)]
        if i == 0 and paper.title.startswith("一种") and len(paper.title) <= 60:
            title = paper.title
        elif invention:
            title = f"一种基于{subject}的{PATENT_TAILS.get(paper.category, '方法')}"
        else:
            title = f"一种用于{subject}的装置"
        if not invention or year <= 2021:
            legal = "lapsed" if rng.random() < 0.08 else "granted"
        else:
            legal = "pending" if year >= 2023 else rng.choice(("granted", "pending"))
        patents.append((number, title[:200], legal))
    return tuple(patents)


def phone(rng: random.Random) -> str:
    return f"0532-8{rng.randint(0, 9_999_999):07d}"


def at_work(day: datetime, rng: random.Random) -> datetime:
    return day.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59))


def history(rng: random.Random, status: str, now: datetime, reasons: tuple[str, ...]) -> tuple[Event, ...]:
    """The moves that brought a record to its status, each a few days after the last."""
    if status in (Status.PUBLISHED, Status.EXPIRED):
        year_start = YEAR_START if status == Status.PUBLISHED else YEAR_START.replace(year=2024)
        published = at_work(
            year_start + timedelta(days=rng.randrange(YEAR_DAYS) * PUBLISHED_DAYS // YEAR_DAYS), rng
        )
        submitted = at_work(published - timedelta(days=rng.randint(1, 6)), rng)
        created = at_work(submitted - timedelta(days=rng.randint(0, 30)), rng).replace(hour=8)
        return (
            Event("create", created, "owner"),
            Event("submit", submitted, "owner"),
            Event("publish", published, "reviewer"),
        )
    created = at_work(now.astimezone(TZ) - timedelta(days=rng.randint(20, 75)), rng)
    events = [Event("create", created, "owner")]
    if status == Status.DRAFT:
        return tuple(events)
    submitted = at_work(created + timedelta(days=rng.randint(1, 8)), rng)
    events.append(Event("submit", submitted, "owner"))
    moved = at_work(submitted + timedelta(days=rng.randint(1, 6)), rng)
    if status == Status.RETURNED:
        events.append(Event("return", moved, "reviewer", rng.choice(reasons)))
    elif status == Status.WITHDRAWN:
        events.append(Event("withdraw", moved, "owner", "团队需补充实验数据，暂时撤回。"))
    return tuple(events)


def keywords(row: DemandRow) -> str:
    return join_keywords(list(row.keywords))[:300]
