"""Demo leads and rewards: matches handed over to technology managers and followed up, and 青岛大学's
reward rule with the rewards recorded for a few of its licences. Written through the services, so each
lead is assigned by the real rule (specialty from the people index, then load) and audited; runs after
the index is built. Seeded: the same demo every time."""

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from fanxing.achievements.models import Achievement
from fanxing.deals.models import (
    ContractKind,
    Lead,
    LeadActivity,
    RewardDistribution,
    RewardRule,
    TechContract,
)
from fanxing.deals.services.leads import lead_activity_add, lead_create, lead_move
from fanxing.deals.services.rewards import reward_distribute
from fanxing.demands.models import Demand

if TYPE_CHECKING:
    from fanxing.core.demo.loader import DemoContext

QDU = "青岛大学"
LEADS = 40  # matches handed over, of the 118 demand–achievement pairs
SIGNED = 5  # 青岛大学 licences brought in by a manager (a lead on the achievement, signed)
REWARDED = 3  # licences whose team's rewards are recorded
# Where the handed-over matches stand: stage, its share, and for closed ones the reasons drawn from.
OUTCOMES = (
    (Lead.Stage.NEW, 0.30),
    (Lead.Stage.CONTACTED, 0.25),
    (Lead.Stage.NEGOTIATING, 0.25),
    (Lead.Stage.CLOSED, 0.20),
)
CLOSE_REASONS = ("no_interest", "price", "immature", "elsewhere", "unreachable")
NOTES = {
    LeadActivity.Kind.CALL: "与企业技术负责人电话沟通需求细节",
    LeadActivity.Kind.VISIT: "走访企业生产现场，了解工艺条件",
    LeadActivity.Kind.MEETING: "组织校企双方会谈，讨论合作方式与报价",
    LeadActivity.Kind.NOTE: "整理技术资料发送企业评估",
}


def load_leads(ctx: "DemoContext") -> str:
    if Lead.objects.exists():
        return "已有线索，跳过"
    rng = random.Random(2025)
    today = timezone.localdate()
    pairs = rng.sample(ctx.data.pairs(), LEADS)
    demands = Demand.objects.in_bulk([d for d, _ in pairs], field_name="ref")
    achievements = Achievement.objects.in_bulk([a for _, a in pairs], field_name="ref")
    stages = [stage for stage, share in OUTCOMES for _ in range(round(share * LEADS))]
    for (demand_ref, achievement_ref), stage in zip(pairs, stages, strict=False):
        demand, achievement = demands[demand_ref], achievements[achievement_ref]
        lead = lead_create(
            by=ctx.owners.get(demand.organisation.name),
            demand=demand,
            achievement=achievement,
            note="来自平台智能匹配",
        )
        follow_up(lead, stage, rng, today)
    signed = sign_through_leads(ctx, rng, today)
    rewarded = reward_licences(ctx)
    counts = {row: Lead.objects.filter(stage=row).count() for row in Lead.Stage.values}
    stages_line = "，".join(f"{Lead.Stage(code).label} {n}" for code, n in counts.items())
    return (
        f"线索 {Lead.objects.count()} 条（{stages_line}），经线索签约 {signed} 份，记录奖励发放 {rewarded} 次"
    )


def follow_up(lead: Lead, stage: str, rng: random.Random, today: datetime.date) -> None:
    """Date the lead back, log the follow-ups up to its stage and move it there; new leads stay idle
    (some of them long enough to be flagged 待跟进)."""
    started = today - datetime.timedelta(days=rng.randint(5, 90))
    at_noon = timezone.make_aware(datetime.datetime.combine(started, datetime.time(10)))
    Lead.objects.filter(pk=lead.pk).update(created_at=at_noon, last_activity_at=at_noon)
    lead.refresh_from_db()
    if stage == Lead.Stage.NEW:
        return
    steps = {Lead.Stage.CONTACTED: 1, Lead.Stage.NEGOTIATING: 2, Lead.Stage.CLOSED: rng.randint(1, 2)}[stage]
    days = sorted(rng.sample(range((today - started).days + 1), steps + 1))
    kinds = [LeadActivity.Kind.CALL, LeadActivity.Kind.VISIT, LeadActivity.Kind.MEETING]
    last = started
    for n, offset in enumerate(days[:steps]):
        last = started + datetime.timedelta(days=offset)
        kind = kinds[min(n, len(kinds) - 1)]
        lead_activity_add(by=lead.manager, lead=lead, kind=kind, happened_on=last, note=NOTES[kind])
    if stage == Lead.Stage.CLOSED:
        lead_move(by=lead.manager, lead=lead, stage=stage, close_reason=rng.choice(CLOSE_REASONS))
    else:
        for move in (Lead.Stage.CONTACTED, Lead.Stage.NEGOTIATING)[:steps]:
            lead_move(by=lead.manager, lead=lead, stage=move)
    moment = timezone.make_aware(datetime.datetime.combine(last, datetime.time(16)))
    Lead.objects.filter(pk=lead.pk).update(last_activity_at=moment)


def sign_through_leads(ctx: "DemoContext", rng: random.Random, today: datetime.date) -> int:
    """A few of 青岛大学's licences of 2025 came through a manager: a lead on the achievement, worked up to
    the signing, the contract linked to it."""
    contracts = list(
        TechContract.objects.filter(
            organisation__name=QDU,
            kind=ContractKind.LICENCE,
            signed_on__isnull=False,
            achievements__isnull=False,
        )
        .order_by("-signed_on", "number")
        .distinct()[:SIGNED]
    )
    for contract in contracts:
        achievement = contract.achievements.order_by("pk").first()
        lead = lead_create(by=ctx.owners.get(QDU), achievement=achievement, note="成果持有方委托推广")
        start = min(contract.signed_on, today) - datetime.timedelta(days=rng.randint(30, 60))
        at = timezone.make_aware(datetime.datetime.combine(start, datetime.time(10)))
        Lead.objects.filter(pk=lead.pk).update(created_at=at, last_activity_at=at)
        lead.refresh_from_db()
        for offset, kind in ((3, LeadActivity.Kind.CALL), (15, LeadActivity.Kind.MEETING)):
            day = start + datetime.timedelta(days=offset)
            lead_activity_add(by=lead.manager, lead=lead, kind=kind, happened_on=day, note=NOTES[kind])
        TechContract.objects.filter(pk=contract.pk).update(lead=lead)
        for stage in (Lead.Stage.CONTACTED, Lead.Stage.NEGOTIATING, Lead.Stage.SIGNED):
            lead_move(by=lead.manager, lead=lead, stage=stage)
    return len(contracts)


def reward_licences(ctx: "DemoContext") -> int:
    """青岛大学's rule (70 % of net income from transfers and licences; patent fees and evaluation
    deducted) and the rewards recorded for its first licences with money received and a team."""
    qdu = ctx.organisations[QDU]
    RewardRule.objects.get_or_create(
        organisation=qdu,
        defaults={"transfer_share": Decimal(70), "deductible": ["maintenance", "evaluation", "tax"]},
    )
    done = 0
    contracts = (
        TechContract.objects.filter(organisation=qdu, kind=ContractKind.LICENCE, payments__isnull=False)
        .filter(achievements__team__isnull=False)
        .distinct()
        .order_by("number")
    )
    for contract in contracts:
        if done == REWARDED:
            break
        if RewardDistribution.objects.filter(contract=contract).exists():
            continue
        team = list(contract.achievements.order_by("pk").first().team.order_by("order", "pk"))[:3]
        shares = {1: [100], 2: [60, 40], 3: [50, 30, 20]}[len(team)]
        last_paid = contract.payments.order_by("-received_on").first().received_on
        reward_distribute(
            by=ctx.users.get("qdu_admin"),
            contract=contract,
            members=[(m.name, Decimal(s)) for m, s in zip(team, shares, strict=True)],
            decided_on=last_paid,
            note="按学校科技成果转化奖励办法核定",
        )
        done += 1
    return done
