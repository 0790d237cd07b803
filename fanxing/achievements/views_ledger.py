"""A unit's ledger of service achievements (单列管理台账): grants of rights, conversions and income, with its
export and the form where the unit's admins record a grant."""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.achievements.forms import RightsGrantForm
from fanxing.achievements.models import Achievement, RightsGrant
from fanxing.achievements.selectors import Ledger, LedgerEntry, ledger_get
from fanxing.achievements.services import rights_grant_add
from fanxing.core.forms import add_service_error
from fanxing.core.io import table_response
from fanxing.core.models import Organisation
from fanxing.core.tabular import Column, write_csv

COLUMNS = [
    Column("成果编号", "ref", width=14),
    Column("成果名称", "title", width=36),
    Column("状态", "status", width=8),
    Column("技术领域", "field", width=16),
    Column("赋权记录", "grants", width=50),
    Column("转化合同", "contracts", width=60),
    Column("合同金额（万元）", "amount", width=14),
    Column("到账金额（万元）", "received", width=14),
]


def wan(value: Decimal) -> Decimal:
    """An amount in 万元 without trailing zeros or an exponent: 120.0000 → 120, 12.5000 → 12.5."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def grant_line(grant: RightsGrant) -> str:
    term = f" {grant.term_years} 年" if grant.term_years else ""
    document = f"，{grant.document_no}" if grant.document_no else ""
    kind = grant.get_kind_display()
    return f"{grant.granted_on:%Y-%m-%d} {kind} {wan(grant.share)}%{term}：{grant.grantees}{document}"


def entry_row(entry: LedgerEntry) -> list[Any]:
    """One achievement as a row: the page shows these cells and the export writes them."""
    a = entry.achievement
    contracts = [
        f"{c.contract.number} {c.contract.get_kind_display()} {wan(c.contract.amount)} 万元"
        f" {c.contract.signed_on:%Y-%m-%d} 签订，已到账 {wan(c.received)} 万元"
        if c.contract.signed_on
        else f"{c.contract.number} {c.contract.get_kind_display()} {wan(c.contract.amount)} 万元 未签订"
        for c in entry.conversions
    ]
    return [
        a.ref,
        a.title,
        a.get_status_display(),
        str(a.field),
        "\n".join(grant_line(g) for g in entry.grants),
        "\n".join(contracts),
        wan(entry.amount),
        wan(entry.received),
    ]


def totals_row(ledger: Ledger) -> list[Any]:
    return [
        "合计",
        f"{len(ledger.entries)} 项成果",
        "",
        "",
        f"{ledger.grants} 次赋权",
        f"{ledger.contracts} 份合同，{ledger.converted} 项成果已转化",
        wan(ledger.amount),
        wan(ledger.received),
    ]


def may_grant(user: Any, organisation: Organisation) -> bool:
    return permissions.can_grant_rights(user, Achievement(organisation=organisation))


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    data = ledger_get(request.user, organisation)
    if request.GET.get("export") in ("xlsx", "csv"):
        return ledger_export(data, request.GET["export"])
    form = RightsGrantForm(organisation=organisation) if may_grant(request.user, organisation) else None
    return render_ledger(request, data, form)


@login_required
@require_POST
def ledger_grant(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    data = ledger_get(request.user, organisation)
    if not may_grant(request.user, organisation):
        raise PermissionDenied("只有成果所属单位的管理员可以登记赋权")
    form = RightsGrantForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            grant = rights_grant_add(by=request.user, **form.service_args())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已登记赋权：{grant}")
            return redirect("achievements:ledger", organisation.pk)
    return render_ledger(request, data, form)


def render_ledger(request: HttpRequest, data: Ledger, form: RightsGrantForm | None) -> HttpResponse:
    context = {
        "ledger": data,
        "organisation": data.organisation,
        "headers": [c.header for c in COLUMNS],
        "rows": [(e.achievement, entry_row(e)) for e in data.entries],
        "totals": totals_row(data),
        "form": form,
        "section": "organisations",
    }
    return render(request, "achievements/ledger.html", context)


def ledger_export(data: Ledger, fmt: str) -> HttpResponse:
    """The ledger as shown: a row an achievement, then the totals."""
    rows = [entry_row(e) for e in data.entries] + [totals_row(data)]
    label = f"{data.organisation.name}职务科技成果台账"
    if fmt == "csv":
        return csv_response(label, COLUMNS, rows)
    return table_response(label, COLUMNS, rows)


def csv_response(label: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{label}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    write_csv(response, columns, rows)
    return response
