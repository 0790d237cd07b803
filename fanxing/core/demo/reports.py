"""The demo's 2025 leaderboard (成果榜单): its period to 30 November (the seed report's 截至 11 月), the
statistics the bureau enters with their source, targets for 2025, experts' comments, and publication.

The statistics the seed report states (四条产业链规模, 科技型企业, 人工智能, …) are entered as the report words
them, with the report as their source. The seed gives no values for the inputs of the four ratios (GDP, R&D
spending, high-tech output, population, high-value invention patents): the demo enters round figures marked
as demonstration values, so the ratios can be shown, never as Laoshan's statistics. Written through the
services, idempotently (values and targets are set, not added)."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from fanxing.reports import services
from fanxing.reports.models import Comment, Indicator, Leaderboard, Target

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

YEAR = 2025
ENDS_ON = datetime.date(2025, 11, 30)
SEED_SOURCE = "2025年崂山区科技创新大会报告（成果榜单）"
DEMO_SOURCE = "演示数据（非官方统计，仅用于演示比值计算）"

# code: (value, note) as the seed report states it (seed-figures.json)
SEED_STATISTICS = {
    "industry_chains.scale": (Decimal(1100), "报告表述为“突破1100亿元”"),
    "enterprises.tech_based": (Decimal(2000), "十四五期间累计，报告表述为“突破2000家”"),
    "enterprises.listed_high_tech": (Decimal(8), "十四五期间"),
    "ai.enterprises": (Decimal(280), "报告表述为“超过280家”"),
    "ai.compute": (Decimal(5000), "报告表述为“超过5000P”"),
    "ai.vertical_models": (Decimal(37), ""),
    "ai.models_registered": (Decimal(5), "引育的行业垂域大模型中通过国家备案的"),
}
# code: {year: value}: demonstration values for the ratios' inputs
DEMO_STATISTICS = {
    "stats.gdp": {2024: Decimal(1080), 2025: Decimal(1150)},
    "stats.rd_spending": {2024: Decimal("52.0"), 2025: Decimal("57.5")},
    "stats.high_tech_output": {2024: Decimal(610), 2025: Decimal(660)},
    "stats.industrial_output": {2024: Decimal(820), 2025: Decimal(860)},
    "stats.population": {2024: Decimal("58.6"), 2025: Decimal("59.3")},
    "stats.high_value_patents": {2024: Decimal(3900), 2025: Decimal(4350)},
}
# code: (target, direction): the bureau's 2025 targets (决策)
TARGETS = {
    "fanxing.achievements_published": (Decimal(400), Target.Direction.AT_LEAST),
    "fanxing.demands_published": (Decimal(150), Target.Direction.AT_LEAST),
    "fanxing.events": (Decimal(80), Target.Direction.AT_LEAST),
    "fanxing.managers_trained": (Decimal(300), Target.Direction.AT_LEAST),
    "fanxing.institutions_converted": (Decimal(15), Target.Direction.AT_LEAST),
    "fanxing.poc_platforms": (Decimal(12), Target.Direction.AT_LEAST),
    "platforms.city_level_and_above": (Decimal(330), Target.Direction.AT_LEAST),
    "contracts.transfer_license.amount": (Decimal(2000), Target.Direction.AT_LEAST),
    "ratio.rd_gdp": (Decimal("4.8"), Target.Direction.AT_LEAST),
}
COMMENTS = {
    "fanxing.demands_published": "企业需求征集仍偏少，建议依托转化联盟成员单位开展需求“大走访”，并把需求发布纳入企业服务专员考核。",
    "fanxing.managers_trained": "培训人数接近目标，但持证上岗比例仍需提高，建议2026年增加实务课程和案例教学学时。",
    "contracts.transfer_license.amount": "转化合同金额同比增长明显，距目标差距较小；建议关注作价入股类项目的评估和登记，避免漏统。",
}


def load_reports(ctx: "DemoContext") -> str:
    admin, expert = ctx.users["admin"], ctx.users["expert"]
    indicators = {i.code: i for i in Indicator.objects.all()}
    board = services.leaderboard_save(
        by=admin,
        year=YEAR,
        ends_on=ENDS_ON,
        title="2025年度崂山区科技成果榜单",
        summary="繁星汇平台2025年（截至11月30日）科技成果发布、供需对接、技术合同与转化成效。",
    )
    for code, (value, note) in SEED_STATISTICS.items():
        services.value_enter(
            by=admin,
            indicator=indicators[code],
            year=YEAR,
            value=value,
            as_of=ENDS_ON,
            source=SEED_SOURCE,
            note=note,
        )
    for code, by_year in DEMO_STATISTICS.items():
        for year, value in by_year.items():
            services.value_enter(
                by=admin,
                indicator=indicators[code],
                year=year,
                value=value,
                as_of=datetime.date(year, 11, 30),
                source=DEMO_SOURCE,
            )
    for code, (value, direction) in TARGETS.items():
        services.target_save(
            by=admin, indicator=indicators[code], year=YEAR, value=value, direction=direction
        )
    added = 0
    for code, text in COMMENTS.items():
        target = Target.objects.get(indicator=indicators[code], year=YEAR, organisation=None)
        if not Comment.objects.filter(target=target, author=expert).exists():
            services.comment_add(by=expert, indicator=indicators[code], year=YEAR, text=text, target=target)
            added += 1
    if board.published_at is None:
        board = services.leaderboard_publish(by=admin, board=board)
    entered = len(SEED_STATISTICS) + sum(len(v) for v in DEMO_STATISTICS.values())
    return (
        f"{board}：统计截至 {board.ends_on}，已发布；填报统计数据 {entered} 项，"
        f"目标 {len(TARGETS)} 项，新增专家意见 {added} 条；榜单数 {Leaderboard.objects.count()}"
    )
