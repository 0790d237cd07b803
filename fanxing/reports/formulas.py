"""The indicators computed from the platform's records, each as the records it counts.

A formula gives, for a period and optionally an organisation, the queryset of the records behind a figure;
the figure is their count or the sum of one of their fields (scaled to the unit). The drill-down of a figure
lists that same queryset, so it lists exactly the records the figure counts.

Periods run from 1 January to the leaderboard's 统计截至 date (`fanxing.reports.selectors.period_for`); a
formula with its own `window` (the five-year plan) widens it. Codes follow ../shared/reference/seed-figures.json
where the seed names the figure; an organisation's figure replaces the first part of the code with the
organisation's code (contracts.transfer_license.amount → qdu.transfer_license.amount).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from fanxing.core.models import Organisation
from fanxing.platforms.selectors import CITY_AND_ABOVE

CONVERSION_KINDS = ("transfer", "licence")  # 技术转让、技术许可 (作价投资 is a flag on these)
COOPERATION_KINDS = ("development", "service")  # 技术开发、技术服务
INSTITUTION_KINDS = (Organisation.Kind.UNIVERSITY, Organisation.Kind.INSTITUTE)


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included."""

    start: date
    end: date

    @property
    def year(self) -> int:
        return self.end.year

    def a_year_earlier(self) -> "Period":
        """The same span a year earlier (29 February becomes the 28th)."""

        def back(day: date) -> date:
            return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else 31))

        return Period(back(self.start), back(self.end))


Records = Callable[[Period, Organisation | None], QuerySet[Any]]


@dataclass(frozen=True)
class Formula:
    """A computed figure: the records behind it and how they are measured.

    `measure` is "count" or the name of the field summed; `divisor` turns the field's unit into the figure's
    (万元 → 亿元: 10000). `window` replaces the period (the five-year plan). `per_organisation`: the figure
    exists for each organisation too. `model` names what the drill-down lists."""

    code: str
    name: str
    unit: str
    group: str
    records: Records
    measure: str = "count"
    divisor: Decimal = Decimal(1)
    decimals: int = 0
    per_organisation: bool = False
    window: Callable[[Period], Period] | None = None
    stock: bool = False
    description: str = ""

    def period(self, period: Period) -> Period:
        return self.window(period) if self.window else period


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__range": (period.start, period.end)})


def _of(organisation: Organisation | None, field: str) -> Q:
    return Q(**{field: organisation}) if organisation is not None else Q()


# Records -------------------------------------------------------------------------------------------------


def platforms_at(levels: tuple[str, ...]) -> Records:
    """Platforms of these levels in force in the period's year (the register's rule, platforms.selectors)."""

    def records(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
        from fanxing.platforms.models import Platform
        from fanxing.platforms.selectors import active_q

        return Platform.objects.filter(
            active_q(period.year), _of(organisation, "host"), level__in=levels
        ).order_by("level", "name")

    return records


def parks(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    from fanxing.platforms.models import Park

    return Park.objects.filter(Q(established_year__isnull=True) | Q(established_year__lte=period.year))


def poc_platforms(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    """Proof-of-concept platforms at provincial or city level recognised by the year and not revoked."""
    from fanxing.poc.models import PocPlatform

    return PocPlatform.objects.filter(_of(organisation, "host"), recognised_year__lte=period.year).exclude(
        status=PocPlatform.Status.REVOKED
    )


def published(model_path: str) -> Records:
    """Records published within the period that have not been withdrawn since (a demand past its deadline
    was still published in the period)."""

    def records(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.filter(
            _of(organisation, "organisation"),
            status__in=("published", "expired"),
            published_at__date__range=(period.start, period.end),
        ).order_by("published_at", "pk")

    return records


def events(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    """Events held in the period (published or closed; drafts are not held)."""
    from fanxing.events.models import Event

    return Event.objects.filter(
        _of(organisation, "organiser"),
        status__in=(Event.Status.PUBLISHED, Event.Status.CLOSED),
        starts_at__date__range=(period.start, period.end),
    ).order_by("starts_at", "pk")


def meetings(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    """One-to-one meetings of the period's events with a recorded outcome."""
    from fanxing.events.models import Meeting

    return Meeting.objects.filter(
        _of(organisation, "event__organiser"),
        event__starts_at__date__range=(period.start, period.end),
        outcome__gt="",
    ).order_by("event__starts_at", "slot", "table")


def managers_trained(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    """Technology managers who attended training in the period (each once)."""
    from fanxing.managers.models import ManagerProfile, TrainingRecord

    trained = TrainingRecord.objects.filter(_in(period, "date")).values("manager")
    return ManagerProfile.objects.filter(pk__in=trained).order_by("pk")


def contracts(kinds: tuple[str, ...] | None = None, registered: bool = False) -> Records:
    """Technology contracts of these kinds (all kinds when None) signed in the period."""

    def records(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
        from fanxing.deals.models import TechContract

        qs = TechContract.objects.filter(_of(organisation, "organisation"), _in(period, "signed_on"))
        if kinds is not None:
            qs = qs.filter(kind__in=kinds)
        if registered:
            qs = qs.filter(registration_status="registered")
        return qs.order_by("signed_on", "pk")

    return records


def institutions_converted(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    """Universities and institutes with a 技术转让 or 技术许可 contract signed in the period."""
    signed = contracts(CONVERSION_KINDS)(period, None).values("organisation")
    return Organisation.objects.filter(
        _of(organisation, "pk"), kind__in=INSTITUTION_KINDS, pk__in=signed
    ).order_by("name")


def leads_signed(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    """Leads (对接线索) whose contract was signed in the period."""
    from fanxing.deals.models import Lead

    return (
        Lead.objects.filter(
            _of(organisation, "achievement__organisation"),
            stage=Lead.Stage.SIGNED,
            contracts__signed_on__range=(period.start, period.end),
        )
        .order_by("pk")
        .distinct()
    )


def poc_funded(period: Period, organisation: Organisation | None) -> QuerySet[Any]:
    """Proof-of-concept projects funded by a decision taken in the period."""
    from fanxing.poc.models import PocApplication

    return PocApplication.objects.filter(
        _of(organisation, "applicant"), decision__decided_on__range=(period.start, period.end)
    ).order_by("decision__decided_on", "pk")


def five_year_plan(period: Period) -> Period:
    """十四五: 2021-01-01 to the end of the period (at the latest 2025-12-31)."""
    return Period(date(2021, 1, 1), min(period.end, date(2025, 12, 31)))


YI = Decimal(10000)  # 万元 per 亿元

FORMULAS: tuple[Formula, ...] = (
    Formula(
        "platforms.city_level_and_above",
        "市级以上科技创新平台",
        "家",
        "平台",
        platforms_at(CITY_AND_ABOVE),
        per_organisation=True,
        stock=True,
        description="国家级、省级、市级平台中，认定年份不晚于当年且当年未撤销的",
    ),
    Formula(
        "platforms.national", "国家级科技创新平台", "家", "平台", platforms_at(("national",)), stock=True
    ),
    Formula(
        "platforms.provincial", "省级科技创新平台", "家", "平台", platforms_at(("provincial",)), stock=True
    ),
    Formula(
        "platforms.municipal", "市级科技创新平台", "家", "平台", platforms_at(("municipal",)), stock=True
    ),
    Formula(
        "parks.specialised",
        "专业化园区",
        "个",
        "平台",
        parks,
        stock=True,
        description="设立年份不晚于当年的园区",
    ),
    Formula(
        "fanxing.poc_platforms",
        "省市级概念验证平台",
        "个",
        "平台",
        poc_platforms,
        stock=True,
        description="认定年份不晚于当年且未撤销的省级、市级概念验证平台",
    ),
    Formula(
        "fanxing.achievements_published",
        "发布科技成果",
        "项",
        "繁星汇",
        published("achievements.Achievement"),
        per_organisation=True,
        description="期间内审核发布且未撤回的科技成果",
    ),
    Formula(
        "fanxing.demands_published",
        "发布技术需求",
        "项",
        "繁星汇",
        published("demands.Demand"),
        per_organisation=True,
        description="期间内审核发布且未撤回的技术需求（含已到期的）",
    ),
    Formula(
        "fanxing.events",
        "组织对接活动",
        "次",
        "繁星汇",
        events,
        per_organisation=True,
        description="期间内举办的路演、对接会、大赛和培训（不含草稿）",
    ),
    Formula("fanxing.meetings", "一对一洽谈", "场", "繁星汇", meetings, per_organisation=True),
    Formula(
        "fanxing.managers_trained",
        "培育技术经理人",
        "人",
        "繁星汇",
        managers_trained,
        description="期间内参加培训的技术经理人（每人计一次）",
    ),
    Formula(
        "fanxing.institutions_converted",
        "推动高校院所成果转化落地",
        "个",
        "繁星汇",
        institutions_converted,
        description="期间内签订技术转让或技术许可合同的高校、科研院所",
    ),
    Formula("fanxing.leads_signed", "对接线索促成签约", "条", "繁星汇", leads_signed, per_organisation=True),
    Formula("poc.funded", "概念验证项目获资助", "项", "概念验证", poc_funded, per_organisation=True),
    Formula(
        "contracts.transfer_license.projects",
        "技术转让、技术许可等转化项目",
        "项",
        "技术合同",
        contracts(CONVERSION_KINDS),
        per_organisation=True,
        description="期间内签订的技术转让、技术许可合同（含作价投资）",
    ),
    Formula(
        "contracts.transfer_license.amount",
        "转化项目合同金额",
        "万元",
        "技术合同",
        contracts(CONVERSION_KINDS),
        measure="amount",
        decimals=2,
        per_organisation=True,
    ),
    Formula(
        "contracts.cooperation.projects",
        "技术开发、服务等科技合作项目",
        "项",
        "技术合同",
        contracts(COOPERATION_KINDS),
        per_organisation=True,
    ),
    Formula(
        "contracts.cooperation.amount",
        "科技合作项目合同金额",
        "亿元",
        "技术合同",
        contracts(COOPERATION_KINDS),
        measure="amount",
        divisor=YI,
        decimals=2,
        per_organisation=True,
    ),
    Formula(
        "contracts.fyp14.projects",
        "十四五期间以转让、许可、作价入股促成转化项目",
        "项",
        "技术合同",
        contracts(CONVERSION_KINDS),
        per_organisation=True,
        window=five_year_plan,
        description="2021 年 1 月 1 日至统计截至日（最晚 2025 年底）签订的技术转让、技术许可合同（含作价投资）",
    ),
    Formula(
        "contracts.fyp14.amount",
        "十四五期间转化合同金额",
        "亿元",
        "技术合同",
        contracts(CONVERSION_KINDS),
        measure="amount",
        divisor=YI,
        decimals=2,
        per_organisation=True,
        window=five_year_plan,
    ),
    Formula(
        "contracts.all.projects",
        "技术合同",
        "项",
        "技术合同",
        contracts(),
        per_organisation=True,
        description="期间内签订的各类技术合同",
    ),
    Formula(
        "contracts.all.amount",
        "技术合同金额",
        "万元",
        "技术合同",
        contracts(),
        measure="amount",
        decimals=2,
        per_organisation=True,
    ),
    Formula(
        "contracts.registered.amount",
        "登记技术合同成交额",
        "万元",
        "技术合同",
        contracts(registered=True),
        measure="amount",
        decimals=2,
        per_organisation=True,
        description="期间内签订并已认定登记的技术合同的合同金额",
    ),
    Formula(
        "contracts.registered.transaction",
        "技术交易额",
        "万元",
        "技术合同",
        contracts(registered=True),
        measure="certified_amount",
        decimals=2,
        per_organisation=True,
        description="已认定登记的技术合同中核定的技术交易额",
    ),
)

BY_CODE: dict[str, Formula] = {f.code: f for f in FORMULAS}


def formula(code: str) -> Formula:
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"没有名为 {code} 的计算公式") from None
