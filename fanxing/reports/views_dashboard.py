"""The bureau's dashboard (/reports/): a year's headline figures, five-year trends, breakdowns and each
target's progress, every number linked to the records it counts; its Excel export; and the drill-down of a
breakdown's cell. For the bureau and the experts (permissions.can_view_indicators)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.io import table_response
from fanxing.core.tabular import Column
from fanxing.reports import dashboard as d
from fanxing.reports import selectors as s
from fanxing.reports.drilldown import drilldown
from fanxing.reports.forms import year_of
from fanxing.reports.views import DRILL_COLUMNS, may_see_figure

SECTION = "reports"

EXPORT_COLUMNS = [
    Column("部分", "section", width=16),
    Column("项目", "item", width=40),
    Column("年度", "year", width=8),
    Column("数值", "value", width=14),
    Column("单位", "unit", width=8),
    Column("同比（%）", "change", width=10),
    Column("依据记录", "records", width=10),
]


def require_indicators(user: AnyUser) -> None:
    if not permissions.can_view_indicators(user):
        raise PermissionDenied("只有科技局管理员和评审专家可以查看指标")


def figure_url(year: int, key: str, dimension: str = "", value: str = "") -> str:
    if dimension:
        return reverse("reports:slice", args=[year, key, dimension, value])
    return reverse("reports:figure", args=[year, key])


def trend_chart(series: list[d.Series]) -> dict[str, Any]:
    chart = d.chart_of(series)
    chart["links"] = [[figure_url(y, x.indicator.code) for y, _ in x.points] for x in series]
    return chart


def cells_chart(cells: list[d.Cell], year: int, kind: str, amounts: bool = False) -> dict[str, Any]:
    """A pie or bar of a breakdown; each slice or bar links to its records."""
    values = [float(c.amount if amounts and c.amount is not None else c.value) for c in cells]
    links = [figure_url(year, c.key, c.dimension, c.slice) for c in cells]
    if kind == "pie":
        data: list[Any] = [{"name": c.label, "value": v} for c, v in zip(cells, values, strict=True)]
        return {"type": "pie", "series": [{"name": "", "data": data}], "links": [links]}
    name = "合同金额（万元）" if amounts else "数量"
    return {
        "type": "bar",
        "categories": [c.label for c in cells],
        "series": [{"name": name, "data": values}],
        "links": [links],
    }


def dashboard_context(year: int) -> dict[str, Any]:
    count_trends, amount_trends = d.trends(year, d.COUNT_TRENDS), d.trends(year, d.AMOUNT_TRENDS)
    fields, kinds = d.by_field(year), d.by_contract_kind(year)
    progress = [
        (result, d.progress_chart(result), f"progress-{i}")
        for i, result in enumerate(s.target_results(year))
        if result.target.organisation_id is None
    ]
    return {
        "year": year,
        "years": d.years_offered(),
        "period": s.period_for(year),
        "cards": d.headlines(year),
        "count_trends": count_trends,
        "amount_trends": amount_trends,
        "count_chart": trend_chart(count_trends),
        "amount_chart": trend_chart(amount_trends),
        "trend_years": [y for y, _ in count_trends[0].points] if count_trends else [],
        "fields": fields,
        "fields_chart": cells_chart(fields, year, "pie"),
        "kinds": kinds,
        "kinds_chart": cells_chart(kinds, year, "bar", amounts=True),
        "organisations": d.top_organisations(year),
        "parks": d.by_park(year),
        "levels": d.LEVELS,
        "progress": progress,
        "section": SECTION,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_indicators(request.user)
    year = year_of(request.GET, d.default_year())
    context = dashboard_context(year)
    if request.GET.get("export") == "xlsx":
        return table_response(f"指标看板（{year}）", EXPORT_COLUMNS, export_rows(context))
    return render(request, "reports/dashboard.html", context)


def export_rows(context: dict[str, Any]) -> list[list[Any]]:
    """The dashboard's figures as rows: headline figures, trends, breakdowns, targets."""
    year = context["year"]
    rows: list[list[Any]] = [
        ["核心指标", f.label, year, f.value, f.unit, f.change, f.records] for f in context["cards"]
    ]
    for series in context["count_trends"] + context["amount_trends"]:
        rows += [
            ["五年趋势", series.indicator.name, y, v, series.indicator.unit, None, None]
            for y, v in series.points
        ]
    rows += [["成果技术领域", c.label, year, c.value, "项", None, c.value] for c in context["fields"]]
    rows += [["技术合同类型", c.label, year, c.amount, "万元", None, c.value] for c in context["kinds"]]
    rows += [
        ["机构合同金额", c.label, year, c.amount, "万元", None, c.value] for c in context["organisations"]
    ]
    for park in context["parks"]:
        rows += [
            ["园区平台", f"{park.label} {c.label}", year, c.value, "家", None, c.value] for c in park.cells
        ]
    for result, _, _ in context["progress"]:
        rows.append(
            [
                "目标执行",
                f"{result.target.indicator.name}（目标 {s.plain(result.target.value)}，{result.evaluation.verdict.label}）",
                year,
                result.figure.value,
                result.figure.unit,
                result.figure.change,
                result.figure.records,
            ]
        )
    return rows


def figure_slice(request: HttpRequest, year: int, key: str, dimension: str, value: str) -> HttpResponse:
    """The records of one cell of a breakdown (a computed figure's records in one field, contract type,
    park): exactly those the cell counts, hidden ones counted, not named."""
    found = s.figure_for_key(key, year)
    if found is None or found.organisation is not None or not may_see_figure(request, found, year):
        raise Http404("没有这个指标")
    records = d.sliced(found.indicator, found.period, dimension, value)
    if records is None:
        raise Http404("该指标没有这一分类")
    drill = drilldown(request.user, records)
    label = f"{found.label} · {d.SLICES[dimension].name(value)}"
    if request.GET.get("export") == "xlsx":
        rows = ([r.title, r.organisation, r.day, r.amount] for r in drill.rows)
        return table_response(f"{label}（{year}）", DRILL_COLUMNS, rows)
    context = {
        "figure": found,
        "label": label,
        "dimension": d.SLICES[dimension].label,
        "value": d.slice_value(found.indicator, records),
        "drill": drill,
        "year": year,
        "section": SECTION,
    }
    return render(request, "reports/slice.html", context)
