"""Demo proof of concept and the competition of 2025: the seed report's 13 省市级概念验证平台 (4 省级, 9 市级)
with their calls of 2025 (four platform calls, the 崂山区校长(院长)基金 of 青岛大学, a 区级专项 of the bureau),
applications by the institutions with their own achievements, reviews by the demo experts (assigned by
`assignments_make`, so no one reviews their own organisation), funding within budget, milestones and
outcomes (one converted, on a 青岛大学 licence); and the 2025 “千创汇·智崂山” competition with entries,
judges, scores and awards, held at its 大赛 event.

Written through the services with the dates of 2025 where they take one (`today`, `decided_on`,
`reported_on`, `date`); what the models or services stamp with now (applications' and reviews' submission,
a milestone's acceptance, entries' submission) is then set to its 2025 date with `update`. The competition's entry window is checked against today, so its entries are
written with `Entry.objects` after `full_clean` (each the organisation's own achievement); everything
after (judges, assignments, scores, awards) goes through the services. Seeded; known by name and title,
so loading again adds nothing.
"""

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fanxing.achievements.models import Achievement
from fanxing.competitions import services as contest
from fanxing.competitions.models import Competition, Entry
from fanxing.core.demo.events import COMPETITION_TITLE
from fanxing.core.models import TechField
from fanxing.core.workflow import Status
from fanxing.deals.models import ContractKind, TechContract
from fanxing.events.models import Event
from fanxing.poc import services as poc
from fanxing.poc.models import Milestone, PocApplication, PocCall, PocPlatform, Review

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

P, M = PocPlatform.Level.PROVINCIAL, PocPlatform.Level.MUNICIPAL
QDU = "青岛大学"
BUREAU = "崂山区科学技术局"
# name, level, host, year recognised, fields (top-level codes), services
PLATFORMS = (
    (
        "青岛大学概念验证中心",
        P,
        QDU,
        2022,
        ("bio", "textile", "ai"),
        "样机试制、中试验证、市场评估、知识产权布局",
    ),
    (
        "中国海洋大学海洋科技成果概念验证中心",
        P,
        "中国海洋大学",
        2022,
        ("marine", "mbio"),
        "中试验证、检测分析、市场评估",
    ),
    (
        "崂山区海洋生物医药概念验证中心",
        P,
        "崂山区海洋生物医药概念验证中心",
        2023,
        ("mbio", "bio"),
        "药效评价、中试放大、注册申报辅导",
    ),
    (
        "青岛能源所绿色能源概念验证平台",
        P,
        "中国科学院青岛生物能源与过程研究所",
        2023,
        ("nem",),
        "工艺放大、样机试制、技术经济分析",
    ),
    (
        "山东大学（青岛）概念验证中心",
        M,
        "山东大学（青岛）",
        2023,
        ("ai", "ict", "bio"),
        "样机试制、测试验证、投融资对接",
    ),
    (
        "中国石油大学（华东）能源装备概念验证中心",
        M,
        "中国石油大学（华东）",
        2023,
        ("earth", "smart"),
        "中试验证、现场试验、检测分析",
    ),
    ("青岛科技大学高分子材料概念验证中心", M, "青岛科技大学", 2024, ("nem",), "配方验证、中试线、产品检测"),
    (
        "崂山区人工智能与虚拟现实概念验证中心",
        M,
        "崂山区人工智能与虚拟现实概念验证中心",
        2024,
        ("ai", "ict"),
        "算力支持、场景验证、用户测试",
    ),
    (
        "崂山区智能制造概念验证中心",
        M,
        "崂山区智能制造概念验证中心",
        2024,
        ("smart",),
        "样机试制、工业现场验证、可靠性测试",
    ),
    (
        "中国科学院海洋研究所概念验证平台",
        M,
        "中国科学院海洋研究所",
        2024,
        ("marine",),
        "海上试验、检测分析、市场评估",
    ),
    (
        "自然资源部第一海洋研究所海洋装备概念验证平台",
        M,
        "自然资源部第一海洋研究所",
        2024,
        ("marine",),
        "海试验证、样机定型",
    ),
    ("崂山实验室概念验证平台", M, "崂山实验室", 2025, ("marine", "ict"), "共享设施、海试平台、中试验证"),
    (
        "北航青岛研究院概念验证中心",
        M,
        "北京航空航天大学青岛研究院",
        2025,
        ("smart", "ict"),
        "样机试制、适航与可靠性测试",
    ),
)
PRESIDENT_FUND = "2025年崂山区校长(院长)基金（青岛大学）"
DISTRICT_CALL = "2025年崂山区概念验证区级专项"
APPLICATIONS_PER_CALL = 5
FUNDED_PER_CALL = 3


def load_poc(ctx: "DemoContext") -> str:
    platforms = load_platforms(ctx)
    calls = [run_call(ctx, spec, rng=random.Random(i)) for i, spec in enumerate(call_specs(ctx, platforms))]
    made = sum(1 for c in calls if c is not None)
    levels = {lvl: PocPlatform.objects.filter(level=lvl).count() for lvl in (P, M)}
    apps = PocApplication.objects.filter(call__opens_on__year=2025)
    return (
        f"概念验证平台 {PocPlatform.objects.count()} 个（省级 {levels[P]}，市级 {levels[M]}），"
        f"2025 年征集 {PocCall.objects.filter(opens_on__year=2025).count()} 项（新建 {made} 项），"
        f"申报 {apps.count()} 项、获资助 {apps.filter(decision__isnull=False).count()} 项、"
        f"已转化 {apps.filter(outcome__status='converted').count()} 项"
    )


def load_platforms(ctx: "DemoContext") -> dict[str, PocPlatform]:
    fields = {f.code: f for f in TechField.objects.filter(parent__isnull=True)}
    existing = PocPlatform.objects.in_bulk([p[0] for p in PLATFORMS], field_name="name")
    for name, level, host, year, codes, services in PLATFORMS:
        if name not in existing:
            existing[name] = poc.platform_save(
                by=None,
                fields={
                    "name": name,
                    "level": level,
                    "host": ctx.organisations[host],
                    "services": services,
                    "recognised_year": year,
                    "fields": [fields[c] for c in codes if c in fields],
                },
            )
    return existing


def call_specs(ctx: "DemoContext", platforms: dict[str, PocPlatform]) -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = []
    for n, name in enumerate(("青岛大学概念验证中心", "中国海洋大学海洋科技成果概念验证中心",
                              "崂山区智能制造概念验证中心", "崂山区人工智能与虚拟现实概念验证中心")):  # fmt: skip
        platform = platforms[name]
        specs.append(
            {
                "title": f"{name}2025年度概念验证项目征集",
                "funder": PocCall.Funder.PLATFORM,
                "platform": platform,
                "host": platform.host,
                "budget_total": Decimal(150),
                "per_project_cap": Decimal(50),
                "opens_on": datetime.date(2025, 3 + n, 1),
                "deadline": datetime.date(2025, 4 + n, 15),
                "fields": list(platform.fields.all()),
            }
        )
    specs.append(
        {
            "title": PRESIDENT_FUND,
            "funder": PocCall.Funder.PRESIDENT,
            "host": ctx.organisations[QDU],
            "budget_total": Decimal(200),
            "per_project_cap": Decimal(50),
            "opens_on": datetime.date(2025, 3, 10),
            "deadline": datetime.date(2025, 4, 30),
        }
    )
    specs.append(
        {
            "title": DISTRICT_CALL,
            "funder": PocCall.Funder.DISTRICT,
            "host": ctx.organisations[BUREAU],
            "budget_total": Decimal(300),
            "per_project_cap": Decimal(80),
            "opens_on": datetime.date(2025, 5, 6),
            "deadline": datetime.date(2025, 6, 20),
        }
    )
    return specs


def candidates(spec: dict[str, Any], rng: random.Random) -> list[Achievement]:
    """Published achievements of universities and institutes fitting the call (青岛大学's own for its fund)."""
    records = Achievement.objects.filter(
        status=Status.PUBLISHED, organisation__kind__in=["university", "institute"]
    ).order_by("ref")
    if spec["funder"] == PocCall.Funder.PRESIDENT:
        records = records.filter(organisation=spec["host"])
    elif spec.get("fields"):
        records = records.filter(field__parent__in=spec["fields"])
    pool = list(records[:80])
    return rng.sample(pool, min(APPLICATIONS_PER_CALL, len(pool)))


def licence_contract(ctx: "DemoContext") -> Any:
    return (
        TechContract.objects.filter(
            organisation=ctx.organisations[QDU],
            kind=ContractKind.LICENCE,
            signed_on__gte=datetime.date(2025, 8, 1),  # after the fund's decision and first milestone
            signed_on__lte=datetime.date(2025, 11, 30),
            achievements__isnull=False,
        )
        .order_by("signed_on", "number")
        .first()
    )


def run_call(ctx: "DemoContext", spec: dict[str, Any], rng: random.Random) -> PocCall | None:
    """A call of 2025 from opening to decision, milestones and outcomes."""
    if PocCall.objects.filter(title=spec["title"]).exists():
        return None
    tech_fields = spec.pop("fields", None)
    call = poc.call_save(
        by=ctx.users["admin"],  # a call keeps its creator (the bureau's administrator)
        fields=spec
        | {"description": "支持高校院所科技成果开展概念验证，推动成果走向产业化"}
        | ({"fields": tech_fields} if tech_fields else {}),
    )
    call = poc.call_open(by=None, call=call)
    achievements = candidates(spec | {"fields": tech_fields}, rng)
    contract = licence_contract(ctx) if spec["funder"] == PocCall.Funder.PRESIDENT else None
    if contract is not None:
        licensed = contract.achievements.order_by("pk").first()
        achievements = [licensed, *[a for a in achievements if a.pk != licensed.pk]][:APPLICATIONS_PER_CALL]
    applications = []
    for n, achievement in enumerate(achievements):
        applications.append(
            poc.application_submit(
                by=ctx.owners[achievement.organisation.name],
                call=call,
                achievement=achievement,
                plan=f"验证目标：完成“{achievement.title[:40]}”的样机与中试验证；技术路线：小试—中试—用户试用；进度：12 个月。",
                budget=Decimal(min(int(call.per_project_cap), 20 + 5 * rng.randint(0, 6))),
                today=spec["opens_on"] + datetime.timedelta(days=10 + n),
            )
        )
    admin = ctx.users["admin"]
    call = poc.call_move(by=None, call=call, status="reviewing")
    for assignment in poc.assignments_make(by=None, call=call):
        favourite = contract is not None and assignment.application.achievement in contract.achievements.all()
        low = 9 if favourite else 6  # the licensed one was the panel's favourite
        scores = {c["key"]: rng.randint(low, 10) for c in call.rubric}
        poc.review_submit(
            by=assignment.reviewer, assignment=assignment, scores=scores, comment="方案可行，建议支持"
        )
    decided_on = spec["deadline"] + datetime.timedelta(days=30)
    ranked = poc.results(by=None, call=call)
    funded = []
    for row in ranked[:FUNDED_PER_CALL]:
        application = row.application
        if application.budget <= poc.remaining_budget(call):
            poc.funding_decide(
                by=admin, application=application, amount=application.budget, decided_on=decided_on
            )
            funded.append(application)
    poc.call_move(by=None, call=call, status="decided")
    backdate(call, spec["opens_on"], spec["deadline"])
    for n, application in enumerate(funded):
        follow(application, n, decided_on, contract, ctx.owners[application.applicant.name], admin)
    return call


def backdate(call: PocCall, opens_on: datetime.date, deadline: datetime.date) -> None:
    """The timestamps the models set to now: applications in the call's window, reviews after its deadline."""
    for n, application in enumerate(call.applications.order_by("pk")):
        day = opens_on + datetime.timedelta(days=10 + n)
        PocApplication.objects.filter(pk=application.pk).update(submitted_at=noon(day))
    reviewed = noon(deadline + datetime.timedelta(days=14))
    Review.objects.filter(assignment__application__call=call).update(submitted_at=reviewed)


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def follow(
    application: PocApplication, n: int, decided_on: datetime.date, contract: Any, owner: Any, admin: Any
) -> None:
    """Two milestones; the first reported (and, for most, accepted); an outcome for the first funded."""
    first = poc.milestone_add(
        by=owner,
        application=application,
        title="样机试制",
        due_on=decided_on + datetime.timedelta(days=90),
        deliverable="样机及测试报告",
    )
    poc.milestone_add(
        by=owner,
        application=application,
        title="中试验证",
        due_on=decided_on + datetime.timedelta(days=240),
        deliverable="中试报告与用户试用意见",
    )
    poc.milestone_report(
        by=owner,
        milestone=first,
        report="样机已完成，关键指标达到方案要求",
        evidence_name="样机测试报告.pdf",
        reported_on=decided_on + datetime.timedelta(days=85),
    )
    if n != 2:
        poc.milestone_accept(by=admin, milestone=first)
        # the service stamps today; the acceptance was a week after the report
        Milestone.objects.filter(pk=first.pk).update(accepted_on=decided_on + datetime.timedelta(days=92))
    converted = contract is not None and application.achievement.contracts.filter(pk=contract.pk).exists()
    if n == 0 or converted:
        poc.outcome_record(
            by=owner,
            application=application,
            status="converted" if converted else "continuing",
            contract=contract if converted else None,
            note="验证完成后以技术许可方式转化" if converted else "样机验证通过，继续开展中试",
            date=contract.signed_on if converted else decided_on + datetime.timedelta(days=120),
        )


# Competition ----------------------------------------------------------------------------------------------

COMPETITION = "2025“千创汇·智崂山”创新创业大赛"
ENTRIES = 20
JUDGES = ("exp03", "exp05", "exp06", "exp07", "exp09", "exp12")
RUBRIC = [
    {"key": "innovation", "label": "技术创新性", "weight": 30, "max_score": 10},
    {"key": "market", "label": "市场前景", "weight": 30, "max_score": 10},
    {"key": "team", "label": "团队能力", "weight": 20, "max_score": 10},
    {"key": "landing", "label": "落地崂山可行性", "weight": 20, "max_score": 10},
]


def load_competition(ctx: "DemoContext") -> str:
    if Competition.objects.filter(title=COMPETITION).exists():
        return "大赛已有，跳过"
    rng = random.Random(2025)
    competition = contest.competition_save(
        by=None,
        fields={
            "title": COMPETITION,
            "year": 2025,
            "organiser": ctx.organisations[BUREAU],
            "description": "面向高校院所和科技企业的创新创业大赛，优胜项目优先落地崂山、对接投资。",
            "rubric": RUBRIC,
            "opens_on": datetime.date(2025, 6, 1),
            "closes_on": datetime.date(2025, 8, 15),
            "judges_per_entry": 3,
            "status": Competition.Status.OPEN,
            "event": Event.objects.filter(title=COMPETITION_TITLE).first(),
        },
    )
    pool = list(
        Achievement.objects.filter(status=Status.PUBLISHED, organisation__name__in=list(ctx.owners))
        .select_related("organisation")
        .order_by("ref")
    )
    for achievement in rng.sample(pool, ENTRIES):
        entry = Entry(
            competition=competition,
            organisation=achievement.organisation,
            title=achievement.title[:120],
            summary=achievement.summary or achievement.title,
            achievement=achievement,
            team="项目负责人\n技术骨干\n市场负责人",
            submitted_by=ctx.owners[achievement.organisation.name],
        )
        entry.full_clean()
        entry.save()
    Entry.objects.filter(competition=competition).update(submitted_at=noon(datetime.date(2025, 7, 20)))
    for username in JUDGES:
        contest.judge_add(by=None, competition=competition, user=ctx.users[username])
    competition = contest.competition_save(
        by=None, competition=competition, fields={"status": Competition.Status.JUDGING}
    )
    contest.assignments_make(by=None, competition=competition)
    for judge in competition.judges.select_related("user"):
        for assignment in judge.assignments.all():
            scores = {c["key"]: rng.randint(5, 10) for c in RUBRIC}
            contest.score_submit(by=judge.user, assignment=assignment, scores=scores, comment="")
    awards = contest.awards_decide(by=None, competition=competition, prizes=contest.DEFAULT_PRIZES)
    return f"{COMPETITION}：参赛 {ENTRIES} 项，评委 {len(JUDGES)} 位，获奖 {len(awards)} 项"
