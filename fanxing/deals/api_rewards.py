"""Inventor rewards over the API: a contract's reward calculation (with a team, its payouts), recording a
distribution, the payouts this caller may read, marking one paid. The same selectors and services as the
pages, so the rules and the amounts agree; amounts are strings to the cent (元; % for 作价投资)."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.schemas import year_field
from fanxing.deals import rewards
from fanxing.deals.models import RewardDistribution, RewardPayout, TechContract
from fanxing.deals.selectors.rewards import distribution_list, payout_get, payout_list, reward_contract_get
from fanxing.deals.services import payout_mark_paid, reward_calculation, reward_distribute
from fanxing.deals.services.rewards import Calculation, team_check

router = Router(tags=["成果转化奖励"])


class LineOut(Schema):
    label: str
    amount: str
    note: str


class PayoutOut(Schema):
    id: int | None = None
    name: str
    username: str | None = None
    contribution: str = Field(description="贡献比例（%）")
    amount: str
    paid_on: date | None = None


class DistributionOut(Schema):
    id: int
    contract: str
    decided_on: date
    mode: str
    base: str
    pool: str
    note: str
    lines: list[LineOut]
    payouts: list[PayoutOut]


class CalculationOut(Schema):
    contract: str
    mode: str
    unit: str = Field(description="元，作价投资为股份比例 %")
    base: str
    total: str = Field(description="按目前到账收入计算的奖励总额")
    earlier: str = Field(description="此前已发放的奖励")
    pool: str = Field(description="本次可分配奖励")
    lines: list[LineOut]
    payouts: list[PayoutOut] = Field(description="给出 members 时按贡献比例分到分")
    can_record: bool
    distributions: list[DistributionOut]


class MemberIn(Schema):
    name: str = Field(description="姓名")
    contribution: Decimal = Field(description="贡献比例（%），全体合计 100")
    username: str | None = Field(None, description="成员的平台账号（可选）")


class DistributionIn(Schema):
    members: list[MemberIn] = Field(max_length=50)
    decided_on: date = Field(description="决定日期 YYYY-MM-DD")
    note: str = Field("", max_length=200)


class CalculationQuery(Schema):
    members: str = Field("", description="团队，如“甲:50,乙:30,丙:20”")


class PayoutQuery(Schema):
    year: int | None = year_field(None, "决定年度")
    paid: Literal["", "paid", "unpaid"] = Field("", description="paid 已发放，unpaid 未发放")


class PaidIn(Schema):
    paid_on: date = Field(description="发放日期 YYYY-MM-DD")


class PayoutRowOut(PayoutOut):
    contract_id: int
    contract: str
    organisation: str
    decided_on: date
    unit: str


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def payout_out(p: RewardPayout) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "username": p.user.username if p.user else None,
        "contribution": f"{p.contribution.normalize():f}",
        "amount": money(p.amount),
        "paid_on": p.paid_on,
    }


def distribution_out(d: RewardDistribution) -> dict[str, Any]:
    return {
        "id": d.pk,
        "contract": d.contract.number,
        "decided_on": d.decided_on,
        "mode": d.mode,
        "base": money(d.base),
        "pool": money(d.pool),
        "note": d.note,
        "lines": [{"label": label, "amount": amount, "note": note} for label, amount, note in d.lines],
        "payouts": [payout_out(p) for p in d.payouts.all()],
    }


def calculation_data(contract: TechContract, calc: Calculation) -> dict[str, Any]:
    """The calculation as JSON (amounts as strings): the API's answer and `fanxing reward --json`."""
    return {
        "contract": contract.number,
        "mode": calc.mode.value,
        "unit": calc.unit,
        "base": money(calc.base),
        "total": money(calc.total),
        "earlier": money(calc.earlier),
        "pool": money(calc.pool),
        "lines": [{"label": ln.label, "amount": f"{ln.amount:f}", "note": ln.note} for ln in calc.lines],
        "payouts": [
            {
                "name": p.member.name,
                "contribution": f"{p.member.contribution.normalize():f}",
                "amount": money(p.amount),
            }
            for p in calc.payouts
        ],
    }


def calculation_out(contract: TechContract, calc: Calculation, user: Any) -> dict[str, Any]:
    return calculation_data(contract, calc) | {
        "can_record": permissions.can_record_reward(user, contract),
        "distributions": [distribution_out(d) for d in distribution_list(contract)],
    }


def parse_members(text: str) -> list[tuple[str, str]]:
    """“甲:50,乙:30,丙:20” (full-width ：and ，too) as (name, contribution) pairs, or a ValidationError."""
    pairs = []
    for part in text.replace("，", ",").replace("：", ":").split(","):
        if not part.strip():
            continue
        name, sep, share = part.rpartition(":")
        if not sep:
            raise ValidationError({"members": f"“{part.strip()}”应写作 姓名:贡献比例，如 甲:50"})
        pairs.append((name.strip(), share.strip()))
    return pairs


def members_from(text: str) -> list[rewards.Member]:
    return [m for m, _ in team_check(parse_members(text))] if text.strip() else []


def accounts(members: list[MemberIn]) -> list[tuple[str, Decimal, User | None]]:
    team = []
    for n, m in enumerate(members, start=1):
        user = None
        if m.username:
            user = User.objects.filter(username=m.username.strip(), is_active=True).first()
            if user is None:
                raise ValidationError({f"members.{n - 1}.username": f"没有用户名为“{m.username}”的有效账号"})
        team.append((m.name, m.contribution, user))
    return team


@router.get("/contracts/{int:contract_id}", response=CalculationOut, summary="合同的奖励计算（逐行）")
def get_calculation(request: HttpRequest, contract_id: int, query: Query[CalculationQuery]) -> dict[str, Any]:
    """The calculation under the organisation's rule, less earlier distributions; with `members`, the
    payouts. For the organisation's admins and staff and the bureau."""
    user = request.auth  # type: ignore[attr-defined]
    contract = reward_contract_get(user, contract_id)
    return calculation_out(contract, reward_calculation(contract, members_from(query.members)), user)


@router.post(
    "/contracts/{int:contract_id}/distributions",
    response={201: DistributionOut},
    summary="记录奖励发放（机构管理员、科技局管理员）",
)
def create_distribution(
    request: HttpRequest, contract_id: int, payload: DistributionIn
) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    contract = reward_contract_get(user, contract_id)
    distribution = reward_distribute(
        by=user,
        contract=contract,
        members=accounts(payload.members),
        decided_on=payload.decided_on,
        note=payload.note,
    )
    return Status(201, distribution_out(distribution_list(contract).get(pk=distribution.pk)))


def payout_row(p: RewardPayout) -> dict[str, Any]:
    contract = p.distribution.contract
    return payout_out(p) | {
        "contract_id": contract.pk,
        "contract": contract.number,
        "organisation": contract.organisation.name,
        "decided_on": p.distribution.decided_on,
        "unit": "%" if p.distribution.mode == rewards.Mode.EQUITY else "元",
    }


@router.get("/payouts", response=list[PayoutRowOut], summary="奖励发放台账（可见范围内）")
def list_payouts(request: HttpRequest, filters: Query[PayoutQuery]) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    return [payout_row(p) for p in payout_list(user, year=filters.year, paid=filters.paid)]


@router.post("/payouts/{int:payout_id}/paid", response=PayoutRowOut, summary="登记奖励已发放")
def mark_paid(request: HttpRequest, payout_id: int, payload: PaidIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    payout_mark_paid(by=user, payout=payout_get(user, payout_id), paid_on=payload.paid_on)
    return payout_row(payout_get(user, payout_id))
