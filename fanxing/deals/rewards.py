"""Rewards to the people who made a service achievement (职务科技成果), computed to the cent.

The law's defaults (促进科技成果转化法 Art. 44–45, ../shared/reference/domain.md) when a unit has no rule
and no agreement: at least 50 % of the net income of a transfer or licence, at least 50 % of the shares
or capital share of an equity contribution, at least 5 % of the operating profit a year after an own or
joint implementation succeeds. A unit's rule (`RewardRule`) may raise these shares, never lower them,
and names which kinds of cost count against the income (净收入 = income − the unit's direct costs).

A calculation is a list of lines a person can check by hand (income, each cost deducted or not, net
income, the share, the pool) and the pool split among the team by their contribution: each member
gets the pool × contribution rounded down to the cent, and the cents left over go one each to the
largest remainders (ties: the order the team was given in), so the payouts add up to the pool exactly.

Amounts are in 元 (`Decimal`, two places); contracts keep 万元, so callers multiply by 10,000 first.
This module holds the rule and the arithmetic only; records and payouts are the services' business.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

__all__ = [
    "LEGAL_MINIMUM",
    "Cost",
    "Line",
    "Member",
    "Mode",
    "Payout",
    "RewardError",
    "RewardRule",
    "Reward",
    "compute_reward",
    "split",
]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class RewardError(ValueError):
    """A rule or a calculation's input that the law or arithmetic does not allow (message in Chinese)."""


class Mode(StrEnum):
    """How the achievement was converted, as far as the reward is concerned."""

    TRANSFER = "transfer"  # 转让
    LICENCE = "licence"  # 许可
    EQUITY = "equity"  # 作价投资
    IMPLEMENTATION = "implementation"  # 自行实施或合作实施（按年营业利润）

    @property
    def label(self) -> str:
        return MODE_LABELS[self]


MODE_LABELS = {
    Mode.TRANSFER: "转让",
    Mode.LICENCE: "许可",
    Mode.EQUITY: "作价投资",
    Mode.IMPLEMENTATION: "自行或合作实施",
}
# The least share of the base the law gives the team, in per cent.
LEGAL_MINIMUM = {
    Mode.TRANSFER: Decimal(50),
    Mode.LICENCE: Decimal(50),
    Mode.EQUITY: Decimal(50),
    Mode.IMPLEMENTATION: Decimal(5),
}
BASE_LABELS = {
    Mode.TRANSFER: "净收入",
    Mode.LICENCE: "净收入",
    Mode.EQUITY: "所获股份或出资比例",
    Mode.IMPLEMENTATION: "当年营业利润",
}
# Kinds of direct cost a rule may deduct from the income.
COST_KINDS = {
    "maintenance": "专利申请与维持费用",
    "evaluation": "评估与审计费用",
    "legal": "法律与登记费用",
    "brokerage": "中介服务费用",
    "tax": "税费",
    "other": "其他直接费用",
}


@dataclass(frozen=True)
class RewardRule:
    """A unit's reward rule: the team's share of each base in per cent, and the costs it deducts."""

    transfer_share: Decimal = LEGAL_MINIMUM[Mode.TRANSFER]  # of net income, transfer and licence
    equity_share: Decimal = LEGAL_MINIMUM[Mode.EQUITY]
    implementation_share: Decimal = LEGAL_MINIMUM[Mode.IMPLEMENTATION]
    deductible: frozenset[str] = frozenset({"maintenance", "evaluation", "legal", "brokerage", "tax"})

    def __post_init__(self) -> None:
        for mode, share in (
            (Mode.TRANSFER, self.transfer_share),
            (Mode.EQUITY, self.equity_share),
            (Mode.IMPLEMENTATION, self.implementation_share),
        ):
            if not LEGAL_MINIMUM[mode] <= Decimal(share) <= HUNDRED:
                raise RewardError(
                    f"{mode.label}的奖励比例为 {share}%：不得低于法定的 {LEGAL_MINIMUM[mode]}%，也不得超过 100%"
                )
        unknown = set(self.deductible) - set(COST_KINDS)
        if unknown:
            raise RewardError(
                f"未知的费用类别：{'、'.join(sorted(unknown))}（可选：{'、'.join(COST_KINDS)}）"
            )

    def share(self, mode: Mode) -> Decimal:
        """The team's share of the base for this mode, in per cent."""
        if mode in (Mode.TRANSFER, Mode.LICENCE):
            return Decimal(self.transfer_share)
        return Decimal(self.equity_share if mode is Mode.EQUITY else self.implementation_share)


@dataclass(frozen=True)
class Cost:
    """A direct cost of the conversion, in 元."""

    kind: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Member:
    """A member of the team and their contribution, in per cent (the team's add up to 100)."""

    name: str
    contribution: Decimal


@dataclass(frozen=True)
class Line:
    """One line of the calculation as shown: what, how much (元, or per cent for shares), why."""

    label: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Payout:
    """A member's part of the pool."""

    member: Member
    amount: Decimal


@dataclass(frozen=True)
class Reward:
    """A calculation: its lines, the base, the pool for the team and each member's payout."""

    mode: Mode
    lines: tuple[Line, ...]
    base: Decimal
    pool: Decimal
    payouts: tuple[Payout, ...] = field(default=())

    def rows(self) -> list[tuple[str, str, str]]:
        """The calculation as rows for a sheet: item, amount, note (lines, then the payouts)."""
        rows = [(line.label, f"{line.amount:,.2f}", line.note) for line in self.lines]
        rows += [
            (f"奖励：{p.member.name}", f"{p.amount:,.2f}", f"贡献 {p.member.contribution}%")
            for p in self.payouts
        ]
        return rows


def _money(value: Decimal | int | str, what: str) -> Decimal:
    try:
        amount = Decimal(value)
    except ArithmeticError as exc:
        raise RewardError(f"{what}不是数字：{value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise RewardError(f"{what}不能为负数或非数字：{value}")
    if amount != amount.quantize(CENT):
        raise RewardError(f"{what}最多两位小数（到分）：{value}")
    return amount


def split(pool: Decimal, members: Sequence[Member]) -> tuple[Payout, ...]:
    """The pool split by contribution to the cent: rounded down, then the cents left over one each to
    the largest remainders (ties: the order given), so the payouts add up to the pool exactly."""
    if not members:
        raise RewardError("没有团队成员：至少需要一名成果完成人")
    names = [m.name.strip() for m in members]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise RewardError("团队成员的姓名不能为空，也不能重复")
    for m in members:
        if Decimal(m.contribution) <= 0:
            raise RewardError(f"{m.name} 的贡献比例为 {m.contribution}%：应大于 0")
    total = sum((Decimal(m.contribution) for m in members), Decimal(0))
    if total != HUNDRED:
        raise RewardError(f"团队成员的贡献比例合计为 {total}%，应为 100%")
    exact = [pool * Decimal(m.contribution) / HUNDRED for m in members]
    floors = [value.quantize(CENT, rounding=ROUND_DOWN) for value in exact]
    left = int(((pool - sum(floors, Decimal(0))) / CENT).to_integral_value())
    by_remainder = sorted(range(len(members)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += CENT
    return tuple(Payout(m, amount) for m, amount in zip(members, floors, strict=True))


def compute_reward(
    rule: RewardRule,
    mode: Mode,
    members: Sequence[Member],
    received: Sequence[Decimal] = (),
    costs: Sequence[Cost] = (),
    base: Decimal | None = None,
) -> Reward:
    """The team's reward for one conversion.

    Transfer and licence: the payments `received` less the `costs` the rule deducts is the net income;
    the pool is the rule's share of it. Equity and implementation: `base` is the shares obtained (in
    per cent of the company, split as such) or the year's operating profit (元)."""
    lines: list[Line] = []
    share = rule.share(mode)
    if mode in (Mode.TRANSFER, Mode.LICENCE):
        if base is not None:
            raise RewardError(f"{mode.label}的奖励按收到的款项计算，不另给基数")
        payments = [_money(amount, f"第 {i} 笔收款") for i, amount in enumerate(received, 1)]
        income = sum(payments, Decimal(0))
        lines += [Line(f"收款 {i}", amount) for i, amount in enumerate(payments, 1)]
        lines.append(Line("收入合计", income))
        deducted = Decimal(0)
        for cost in costs:
            if cost.kind not in COST_KINDS:
                raise RewardError(f"未知的费用类别：{cost.kind}（可选：{'、'.join(COST_KINDS)}）")
            amount = _money(cost.amount, f"费用“{COST_KINDS[cost.kind]}”")
            counted = cost.kind in rule.deductible
            deducted += amount if counted else 0
            why = "扣除" if counted else "本单位规则不扣除"
            lines.append(
                Line(
                    f"费用：{COST_KINDS[cost.kind]}",
                    amount,
                    f"{why}{('；' + cost.note) if cost.note else ''}",
                )
            )
        if deducted > income:
            raise RewardError(f"可扣除的费用（{deducted:,.2f} 元）超过收入（{income:,.2f} 元）：请核对费用")
        value = income - deducted
        lines.append(Line("净收入", value, "收入合计 − 扣除的费用"))
    else:
        if received or costs:
            raise RewardError(f"{mode.label}的奖励按{BASE_LABELS[mode]}计算，不按收款和费用")
        if base is None:
            raise RewardError(f"请给出{BASE_LABELS[mode]}")
        value = _money(base, BASE_LABELS[mode])
        if mode is Mode.EQUITY and value > HUNDRED:
            raise RewardError(f"所获股份或出资比例为 {value}%：不能超过 100%")
        lines.append(Line(BASE_LABELS[mode], value))
    pool = (value * share / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    lines.append(Line("奖励比例（%）", share, f"本单位规则；法定不低于 {LEGAL_MINIMUM[mode]}%"))
    lines.append(Line("奖励总额", pool, f"{BASE_LABELS[mode]} × 奖励比例，四舍五入到分"))
    return Reward(mode, tuple(lines), value, pool, split(pool, members))
