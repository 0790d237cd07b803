"""Writes and computations on inventor rewards: a contract's direct costs, its reward under the owning
organisation's rule (fanxing.deals.rewards does the arithmetic), distributions and payouts recorded.

A contract may be rewarded more than once as its income comes in: each distribution (奖励发放) shares
the reward on everything received so far less the pools of the earlier distributions, so the team is
never rewarded twice for the same money (`reward_calculation` shows that line by line).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import audit, require, summed
from fanxing.deals import rewards
from fanxing.deals.models import (
    ContractCost,
    ContractKind,
    RewardDistribution,
    RewardPayout,
    RewardRule,
    TechContract,
)
from fanxing.deals.services.contracts import locked_for_money

TEN_THOUSAND = Decimal(10_000)


@transaction.atomic
def cost_add(*, by: User | None, contract: TechContract, fields: dict[str, Any]) -> ContractCost:
    """Record a direct cost of a contract (元), audited."""
    contract = locked_for_money(by, contract)
    cost = ContractCost(contract=contract, **fields)
    cost.full_clean(
        validate_constraints=False
    )  # the fields' own checks name the field; the table's repeat them
    cost.save()
    audit(actor=by, action="cost_add", target=contract, changes={"cost": [None, str(cost)]})
    return cost


def contract_reward(contract: TechContract, members: list[rewards.Member]) -> rewards.Reward:
    """The team's reward for a transfer or licence contract, from the payments received (万元 → 元) and
    its costs, under the owning organisation's rule (the law's minimum when it has none); for 作价投资, from
    the share obtained. Raises ValidationError with the reason when it cannot be computed."""
    rule_row = RewardRule.objects.filter(organisation_id=contract.organisation_id).first()
    try:
        rule = rule_row.as_rule() if rule_row else rewards.RewardRule()
        if contract.equity:
            return rewards.compute_reward(rule, rewards.Mode.EQUITY, members, base=contract.equity_share)
        mode = {ContractKind.TRANSFER: rewards.Mode.TRANSFER, ContractKind.LICENCE: rewards.Mode.LICENCE}.get(
            ContractKind(contract.kind)
        )
        if mode is None:
            raise rewards.RewardError(
                f"{contract.get_kind_display()}合同的奖励按本单位规则另行计算，不按转让、许可收入计算"
            )
        received = [(p.amount * TEN_THOUSAND).quantize(Decimal("0.01")) for p in contract.payments.all()]
        costs = [rewards.Cost(c.kind, c.amount, c.note) for c in contract.costs.all()]
        return rewards.compute_reward(rule, mode, members, received=received, costs=costs)
    except rewards.RewardError as error:
        raise ValidationError(str(error)) from error


# Distributions -------------------------------------------------------------------------------------------

CENT = Decimal("0.01")
EARLIER_LABEL = "减：此前已发放奖励"
POOL_LABEL = "本次可分配奖励"
# A member as the callers give it: (name, contribution in per cent) or (name, contribution, account).
MemberInput = tuple[str, Any] | tuple[str, Any, User | None]


@dataclass(frozen=True)
class Calculation:
    """A contract's reward as it stands: the calculation's lines (rewards.compute_reward's, then the
    pools of earlier distributions deducted), the reward on all income so far (`total`), what earlier
    distributions gave (`earlier`), what is left to share now (`pool`) and, with a team, each payout."""

    mode: rewards.Mode
    lines: tuple[rewards.Line, ...]
    base: Decimal
    total: Decimal
    earlier: Decimal
    pool: Decimal
    payouts: tuple[rewards.Payout, ...] = field(default=())

    @property
    def unit(self) -> str:
        """作价投资 shares a share of the company (per cent), the others money (元)."""
        return "%" if self.mode is rewards.Mode.EQUITY else "元"

    def rows(self) -> list[tuple[str, Decimal, str]]:
        """Item, amount, note: the lines, then the payouts (what the page, the sheet and the CLI show)."""
        rows = [(line.label, line.amount, line.note) for line in self.lines]
        rows += [
            (f"奖励：{p.member.name}", p.amount, f"贡献 {percent(p.member.contribution)}%")
            for p in self.payouts
        ]
        return rows


def percent(value: Decimal) -> str:
    """50.00 → "50", 33.50 → "33.5"."""
    return f"{Decimal(value).normalize():f}"


def earlier_pools(contract: TechContract) -> Decimal:
    """What the contract's earlier distributions gave (元, to the cent on every database)."""
    return summed(contract.distributions, "pool").quantize(CENT)


def reward_calculation(contract: TechContract, members: Sequence[rewards.Member] = ()) -> Calculation:
    """The contract's reward now: its calculation under the organisation's rule, less what earlier
    distributions gave, split among `members` when given (they must add up to 100 %). Raises
    ValidationError with the reason when the reward cannot be computed."""
    reward = contract_reward(contract, list(members) or [rewards.Member("—", Decimal(100))])
    earlier = earlier_pools(contract)
    lines = list(reward.lines)
    if earlier:
        count = contract.distributions.count()
        lines.append(rewards.Line(EARLIER_LABEL, earlier, f"此前 {count} 次奖励发放的奖励总额合计"))
    pool = reward.pool - earlier
    lines.append(rewards.Line(POOL_LABEL, pool, "奖励总额 − 此前已发放奖励" if earlier else "奖励总额"))
    payouts: tuple[rewards.Payout, ...] = ()
    if members and pool > 0:
        payouts = rewards.split(pool, members)
    return Calculation(reward.mode, tuple(lines), reward.base, reward.pool, earlier, pool, payouts)


def _contribution(value: Any, n: int, name: str) -> Decimal:
    who = f"第 {n} 位成员（{name}）" if name else f"第 {n} 位成员"
    if value is None or str(value).strip() == "":
        raise ValidationError({"members": f"请填写{who}的贡献比例"})
    try:
        amount = Decimal(str(value).strip().rstrip("%").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"members": f"{who}的贡献比例“{value}”不是数字"}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"members": f"{who}的贡献比例应大于 0（现为 {value}%）"})
    if amount > 100:
        raise ValidationError({"members": f"{who}的贡献比例不能超过 100%（现为 {value}%）"})
    if amount != amount.quantize(CENT):
        raise ValidationError({"members": f"{who}的贡献比例最多两位小数（现为 {value}%）"})
    return amount


def team_check(members: Sequence[MemberInput]) -> list[tuple[rewards.Member, User | None]]:
    """The team as the calculation takes it, each member with their account (or None), or a
    ValidationError on `members`: names given and distinct, contributions above 0 adding up to 100 %."""
    if not members:
        raise ValidationError({"members": "至少需要一名成果完成人"})
    team: list[tuple[rewards.Member, User | None]] = []
    names: set[str] = set()
    accounts: set[int] = set()
    for n, member in enumerate(members, start=1):
        name, contribution = (member[0] or "").strip(), member[1]
        user = member[2] if len(member) > 2 else None  # type: ignore[misc]
        if not name:
            raise ValidationError({"members": f"第 {n} 位成员的姓名不能为空"})
        if len(name) > RewardPayout._meta.get_field("name").max_length:
            raise ValidationError({"members": f"第 {n} 位成员的姓名过长（最多 50 个字）"})
        if name in names:
            raise ValidationError({"members": f"成员姓名“{name}”重复：每位成员只填一次"})
        if user is not None and user.pk in accounts:
            raise ValidationError({"members": f"账号“{user.username}”对应了两位成员"})
        names.add(name)
        if user is not None:
            accounts.add(user.pk)
        team.append((rewards.Member(name, _contribution(contribution, n, name)), user))
    total = sum((m.contribution for m, _ in team), Decimal(0))
    if total != 100:
        raise ValidationError({"members": f"贡献比例合计须为 100%（现为 {percent(total)}%）"})
    return team


@transaction.atomic
def reward_distribute(
    *,
    by: User | None,
    contract: TechContract,
    members: Sequence[MemberInput],
    decided_on: datetime.date | None,
    note: str = "",
) -> RewardDistribution:
    """Record a decision to reward the contract's team (奖励发放): the calculation as it stands, less the
    earlier distributions' pools, split by contribution to the cent; one payout per member. Audited."""
    contract = TechContract.objects.select_for_update().get(pk=contract.pk)
    if by is not None:
        require(permissions.can_record_reward(by, contract), "只有本机构管理员或科技局管理员可以记录奖励发放")
    team = team_check(members)
    if decided_on is None:
        raise ValidationError({"decided_on": "请填写奖励决定日期"})
    if contract.signed_on and decided_on < contract.signed_on:
        raise ValidationError({"decided_on": f"决定日期不能早于合同签订日期（{contract.signed_on}）"})
    calculation = reward_calculation(contract, [m for m, _ in team])
    if calculation.pool <= 0:
        raise ValidationError(
            {
                "contract": f"没有可分配的奖励：奖励总额 {calculation.total:,.2f}，此前已发放 "
                f"{calculation.earlier:,.2f}（须有新的到账收入后再发放）"
            }
        )
    distribution = RewardDistribution(
        contract=contract,
        mode=calculation.mode.value,
        lines=[[line.label, f"{line.amount:f}", line.note] for line in calculation.lines],
        base=calculation.base,
        pool=calculation.pool,
        decided_on=decided_on,
        note=note.strip(),
        created_by=by,
    )
    distribution.full_clean(exclude=["created_by"])  # None: recorded by the platform (CLI)
    distribution.save()
    RewardPayout.objects.bulk_create(
        RewardPayout(
            distribution=distribution,
            name=payout.member.name,
            user=user,
            contribution=payout.member.contribution,
            amount=payout.amount,
        )
        for payout, (_, user) in zip(calculation.payouts, team, strict=True)
    )
    audit(
        actor=by,
        action="reward_distribute",
        target=contract,
        changes={
            "distribution": [None, f"{decided_on} 本次奖励 {calculation.pool:f}{calculation.unit}"],
            "payouts": [
                None,
                [
                    f"{p.member.name} {percent(p.member.contribution)}% {p.amount:f}"
                    for p in calculation.payouts
                ],
            ],
        },
        reason=note.strip()[:200],
    )
    return distribution


@transaction.atomic
def payout_mark_paid(*, by: User | None, payout: RewardPayout, paid_on: datetime.date | None) -> RewardPayout:
    """Record that a member's reward was paid, not before the decision and not in the future. Audited."""
    payout = (
        RewardPayout.objects.select_for_update().select_related("distribution__contract").get(pk=payout.pk)
    )
    distribution = payout.distribution
    if by is not None:
        require(
            permissions.can_record_reward(by, distribution.contract),
            "只有本机构管理员或科技局管理员可以登记奖励发放",
        )
    if paid_on is None:
        raise ValidationError({"paid_on": "请填写发放日期"})
    if payout.paid_on is not None:
        raise ValidationError({"paid_on": f"{payout.name} 的奖励已于 {payout.paid_on} 登记发放"})
    if paid_on < distribution.decided_on:
        raise ValidationError(
            {"paid_on": f"发放日期（{paid_on}）不能早于奖励决定日期（{distribution.decided_on}）"}
        )
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": f"发放日期（{paid_on}）不能晚于今天"})
    payout.paid_on = paid_on
    payout.save(update_fields=["paid_on"])
    audit(
        actor=by,
        action="payout_mark_paid",
        target=distribution.contract,
        changes={
            "paid_on": [None, paid_on.isoformat()],
            "payout": [None, f"{payout.name} {payout.amount:f}"],
        },
    )
    return payout
