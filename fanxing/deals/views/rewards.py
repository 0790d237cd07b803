"""Inventor reward pages: a contract's 奖励计算 (the rule, the calculation line by line, past
distributions with their payouts, the forms to record a distribution and to mark payouts paid), an
organisation's 奖励发放台账, and their Excel exports (the same lines and amounts, to the cent).

Reads go through fanxing.deals.selectors.rewards (a contract the user may not read is a 404, rewards they
may not read a 403); writes through the services, which check the permission again and name the field of
any bad input, writing nothing."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.core.io import table_response
from fanxing.core.record_views import safe_next
from fanxing.core.rendering import paginate, query_without_page, render_page
from fanxing.core.tabular import Column
from fanxing.deals import rewards
from fanxing.deals.forms_rewards import DistributionForm, MemberFormSet, PaidForm, PayoutFilterForm, team_of
from fanxing.deals.models import RewardDistribution, RewardPayout, TechContract
from fanxing.deals.selectors.rewards import (
    distribution_list,
    may_read_ledger,
    payout_get,
    payout_list,
    reward_contract_get,
    reward_rule_of,
)
from fanxing.deals.services import payout_mark_paid, reward_calculation, reward_distribute

SECTION = "rewards"
LINE_COLUMNS = [
    Column("项目", "label", width=30),
    Column("金额", "amount", width=18),
    Column("单位", "unit", width=8),
    Column("说明", "note", width=50),
]
LEDGER_COLUMNS = [
    Column("决定日期", "decided_on", width=12),
    Column("合同编号", "number", width=18),
    Column("合同名称", "title", width=36),
    Column("所属机构", "organisation", width=24),
    Column("姓名", "name", width=12),
    Column("平台账号", "account", width=16),
    Column("贡献比例（%）", "contribution", width=12),
    Column("奖励金额", "amount", width=16),
    Column("单位", "unit", width=8),
    Column("发放状态", "status", width=10),
    Column("发放日期", "paid_on", width=12),
]
FIELD_LABELS = {"members": "团队成员", "contract": "合同", "decided_on": "决定日期", "note": "说明"}


def reward_url(contract: TechContract) -> str:
    return reverse("deals:contract_reward", args=[contract.pk])


def unit_of(mode: str, label: str = "") -> str:
    """Per cent for the share line and for 作价投资 (shares of a company), 元 otherwise."""
    return "%" if label.endswith("（%）") or mode == rewards.Mode.EQUITY else "元"


def line_rows(mode: str, rows: Iterable[Sequence[Any]]) -> list[tuple[str, Decimal, str, str]]:
    """(label, amount, unit, note) from calculation rows or stored lines (amounts as strings)."""
    return [(label, Decimal(str(amount)), unit_of(mode, label), note) for label, amount, note in rows]


def shown(rows: Iterable[tuple[str, Decimal, str, str]]) -> list[tuple[str, str, str, str]]:
    """Rows for the page: amounts with thousands separators, to the cent."""
    return [(label, f"{amount:,.2f}", unit, note) for label, amount, unit, note in rows]


def distribution_rows(distribution: RewardDistribution) -> list[tuple[str, Decimal, str, str]]:
    """A recorded distribution as it was calculated, then each payout with its contribution and status."""
    rows = line_rows(distribution.mode, distribution.lines)
    unit = unit_of(distribution.mode)
    for p in distribution.payouts.all():
        status = f"已发放 {p.paid_on:%Y-%m-%d}" if p.paid_on else "未发放"
        rows.append((f"奖励：{p.name}", p.amount, unit, f"贡献 {p.contribution.normalize():f}%；{status}"))
    return rows


def distribution_entry(d: RewardDistribution) -> dict[str, Any]:
    """A past distribution for the page: its lines, its payouts and amounts written to the cent."""
    return {
        "distribution": d,
        "pool": f"{d.pool:,.2f}",
        "lines": shown(line_rows(d.mode, d.lines)),
        "payouts": [(p, f"{p.amount:,.2f}") for p in d.payouts.all()],
    }


@login_required
def contract_reward(request: HttpRequest, pk: int) -> HttpResponse:
    contract = reward_contract_get(request.user, pk)
    can_record = permissions.can_record_reward(request.user, contract)
    form, team = DistributionForm(request.POST or None), MemberFormSet(request.POST or None, prefix="team")
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied("只有本机构管理员或科技局管理员可以记录奖励发放")
        if record_distribution(request, contract, form, team):
            return redirect(reward_url(contract))
    try:
        calculation, problem = reward_calculation(contract), ""
    except ValidationError as error:
        calculation, problem = None, "；".join(error.messages)
    if request.GET.get("export") == "xlsx" and calculation is not None:
        rows = line_rows(calculation.mode, calculation.rows())
        return table_response(f"奖励计算-{contract.number}", LINE_COLUMNS, rows)
    rule, rule_row = reward_rule_of(contract.organisation_id)
    context = {
        "contract": contract,
        "rule": rule,
        "rule_row": rule_row,
        "legal": rewards.LEGAL_MINIMUM,
        "cost_kinds": rewards.COST_KINDS,
        "calculation": calculation,
        "calculation_rows": shown(line_rows(calculation.mode, calculation.rows())) if calculation else [],
        "problem": problem,
        "distributions": [distribution_entry(d) for d in distribution_list(contract)],
        "can_record": can_record,
        "form": form,
        "team": team,
        "paid_form": PaidForm(),
        "section": SECTION,
    }
    return render(request, "deals/reward_contract.html", context)


def record_distribution(request: HttpRequest, contract: TechContract, form: Any, team: Any) -> bool:
    """Call the service with the form's values; True when recorded, else the errors are on the form."""
    if not (form.is_valid() and team.is_valid()):
        return False
    try:
        distribution = reward_distribute(
            by=request.user,
            contract=contract,
            members=team_of(team),
            decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for name, errors in getattr(error, "message_dict", {"": error.messages}).items():
            label = FIELD_LABELS.get(name, "")
            form.add_error(None, [f"{label}：{e}" if label else e for e in errors])
        return False
    messages.success(request, f"已记录奖励发放：本次奖励总额 {distribution.pool:,.2f}")
    return True


@login_required
def distribution_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A recorded distribution as an xlsx sheet: its calculation lines and payouts."""
    distribution = RewardDistribution.objects.select_related("contract").filter(pk=pk).first()
    contract = reward_contract_get(request.user, distribution.contract_id if distribution else 0)
    assert distribution is not None  # reward_contract_get raised 404 otherwise
    label = f"奖励发放-{contract.number}-{distribution.decided_on:%Y%m%d}"
    return table_response(label, LINE_COLUMNS, distribution_rows(distribution))


@login_required
@require_POST
def payout_paid(request: HttpRequest, pk: int) -> HttpResponse:
    payout = payout_get(request.user, pk)
    form = PaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, "发放日期：请填写有效的日期（YYYY-MM-DD）")
    else:
        try:
            payout_mark_paid(by=request.user, payout=payout, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已登记 {payout.name} 的奖励发放（{form.cleaned_data['paid_on']}）")
    return redirect(safe_next(request, reward_url(payout.distribution.contract)))


@login_required
def payouts(request: HttpRequest) -> HttpResponse:
    """奖励发放台账: the payouts this user may read, by year of decision and paid or not."""
    if not may_read_ledger(request.user):
        raise PermissionDenied("只有机构管理员、工作人员和科技局管理员可以查看奖励发放台账")
    visible = payout_list(request.user)
    years = sorted({d.year for d in visible.values_list("distribution__decided_on", flat=True).distinct()})
    form = PayoutFilterForm(request.GET, years)
    qs = payout_list(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        return table_response("奖励发放台账", LEDGER_COLUMNS, (ledger_row(p) for p in qs))
    totals = qs.exclude(distribution__mode=rewards.Mode.EQUITY).aggregate(  # 元 only, not shares
        total=Sum("amount"),
        paid=Sum("amount", filter=Q(paid_on__isnull=False)),
        unpaid=Sum("amount", filter=Q(paid_on__isnull=True)),
    )
    page = paginate(request, qs)
    context = {
        "form": form,
        "page": page,
        "rows": [ledger_entry(request.user, p) for p in page],
        "query": query_without_page(request),
        "totals": {k: f"{v or 0:,.2f}" for k, v in totals.items()},
        "paid_form": PaidForm(),
        "section": SECTION,
    }
    return render_page(
        request, "deals/reward_payouts.html", context, partial="deals/reward_payouts_table.html"
    )


def ledger_entry(user: Any, p: RewardPayout) -> dict[str, Any]:
    contract = p.distribution.contract
    return {
        "payout": p,
        "amount": f"{p.amount:,.2f}",
        "unit": unit_of(p.distribution.mode),
        "can_record": permissions.can_record_reward(user, contract),
        "can_view": permissions.can_view_rewards(user, contract.organisation_id),
    }


def ledger_row(p: RewardPayout) -> list[Any]:
    contract = p.distribution.contract
    return [
        p.distribution.decided_on,
        contract.number,
        contract.title,
        contract.organisation.name,
        p.name,
        p.user.username if p.user else "",
        p.contribution,
        p.amount,
        unit_of(p.distribution.mode),
        "已发放" if p.paid_on else "未发放",
        p.paid_on,
    ]
