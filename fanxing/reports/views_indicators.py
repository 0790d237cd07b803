"""The bureau's indicator pages: the list with the year's values, targets and verdicts; an indicator with its
definition, trend, entered values, target, evaluation and comments (and the forms of the governance loop:
决策 a target, 执行 a value, 咨询 a comment); an organisation's figures; the leaderboards' settings.
Reads through the selectors, writes through the services; who may do what is in accounts.permissions."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse

from fanxing.accounts import permissions
from fanxing.core.forms import add_service_error, error_text
from fanxing.core.io import local_minute, table_response
from fanxing.core.models import Organisation
from fanxing.core.rendering import query_without_page
from fanxing.core.tabular import Column
from fanxing.reports import dashboard as d
from fanxing.reports import selectors as s
from fanxing.reports import services
from fanxing.reports.forms import (
    CommentForm,
    IndicatorFilterForm,
    LeaderboardForm,
    TargetForm,
    ValueForm,
    year_of,
)
from fanxing.reports.formulas import BY_CODE
from fanxing.reports.models import Comment, Indicator, Leaderboard, Target
from fanxing.reports.views_dashboard import SECTION, require_indicators, trend_chart

LIST_COLUMNS = [
    Column("分组", "group", width=12),
    Column("代码", "code", width=36),
    Column("名称", "name", width=36),
    Column("类别", "kind", width=10),
    Column("年度", "year", width=8),
    Column("数值", "value", width=14),
    Column("单位", "unit", width=8),
    Column("同比（%）", "change", width=10),
    Column("依据记录", "records", width=10),
    Column("目标", "target", width=16),
    Column("评估", "verdict", width=10),
]


@dataclass
class Row:
    figure: s.Figure
    result: s.TargetResult | None

    @property
    def indicator(self) -> Indicator:
        return self.figure.indicator


def indicator_rows(year: int, indicators: list[Indicator]) -> list[Row]:
    """Each indicator's figure for the year with its district target's evaluation (figures of indicators
    with a target are computed once, for the evaluation)."""
    results = {r.target.indicator_id: r for r in s.target_results(year) if r.target.organisation_id is None}
    rest = {
        f.indicator.pk: f for f in s.figures(year, indicators=[i for i in indicators if i.pk not in results])
    }
    return [
        Row(results[i.pk].figure, results[i.pk]) if i.pk in results else Row(rest[i.pk], None)
        for i in indicators
    ]


def leaderboard_url(year: int) -> str:
    """The leaderboard page's address (empty while that page does not exist)."""
    try:
        return reverse("reports:leaderboard", args=[year])
    except NoReverseMatch:
        return ""


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    require_indicators(request.user)
    year = year_of(request.GET, d.default_year())
    form = IndicatorFilterForm(request.GET)
    rows = indicator_rows(year, list(s.indicator_list().filter(**form.filters())))
    if request.GET.get("export") == "xlsx":
        return table_response(f"指标（{year}）", LIST_COLUMNS, list_export(rows, year))
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.indicator.group or "其他", []).append(row)
    context = {"groups": groups, "form": form, "year": year, "years": d.years_offered(), "section": SECTION}
    return render(request, "reports/indicators.html", context)


def list_export(rows: list[Row], year: int) -> list[list[Any]]:
    return [
        [
            r.indicator.group,
            r.indicator.code,
            r.indicator.name,
            r.indicator.get_kind_display(),
            year,
            r.figure.value,
            r.figure.unit,
            r.figure.change,
            r.figure.records,
            f"{r.result.target.get_direction_display()} {s.plain(r.result.target.value)}" if r.result else "",
            r.result.evaluation.verdict.label if r.result else "",
        ]
        for r in rows
    ]


# An indicator ------------------------------------------------------------------------------------------------


def _enter_value(request: HttpRequest, indicator: Indicator, year: int, data: dict[str, Any]) -> str:
    services.value_enter(by=request.user, indicator=indicator, year=year, **data)  # type: ignore[arg-type]
    return "数值已填报"


def _set_target(request: HttpRequest, indicator: Indicator, year: int, data: dict[str, Any]) -> str:
    services.target_save(by=request.user, indicator=indicator, year=year, **data)  # type: ignore[arg-type]
    return "目标已保存"


def _add_comment(request: HttpRequest, indicator: Indicator, year: int, data: dict[str, Any]) -> str:
    target = Target.objects.filter(indicator=indicator, year=year, organisation=None).first()
    services.comment_add(by=request.user, indicator=indicator, year=year, target=target, **data)  # type: ignore[arg-type]
    return "意见已发表"


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    allowed: Callable[[Any], bool]
    act: Callable[[HttpRequest, Indicator, int, dict[str, Any]], str]


ACTIONS = {
    "value": Action(ValueForm, permissions.can_manage_indicators, _enter_value),
    "target": Action(TargetForm, permissions.can_manage_indicators, _set_target),
    "comment": Action(CommentForm, permissions.can_comment_indicators, _add_comment),
}


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An indicator's definition, trend and figure of the year; its entered values, target, evaluation and
    comments, with the forms of those who may enter, set or comment."""
    require_indicators(request.user)
    indicator = get_object_or_404(s.indicator_list(), code=code)
    year = year_of(request.GET, d.default_year())
    target = Target.objects.filter(indicator=indicator, year=year, organisation=None).first()
    bound: dict[str, forms.Form] = {
        "value": ValueForm(prefix="value"),
        "target": TargetForm(prefix="target", initial=target_initial(target)),
        "comment": CommentForm(prefix="comment"),
    }
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in ACTIONS:
            raise Http404("没有这个操作")
        action = ACTIONS[name]
        if name == "value" and indicator.kind != Indicator.Kind.ENTERED:
            raise Http404("该指标由平台记录计算，不能填报")
        if not action.allowed(request.user):
            raise PermissionDenied("无权执行该操作")
        form = bound[name] = action.form(request.POST, prefix=name)
        if form.is_valid():
            try:
                done = action.act(request, indicator, year, dict(form.cleaned_data))
            except ValidationError as error:
                add_service_error(form, error)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, done)
                return redirect(f"{reverse('reports:indicator', args=[code])}?year={year}")
    return render(request, "reports/indicator.html", detail_context(request, indicator, year, target, bound))


def target_initial(target: Target | None) -> dict[str, Any]:
    if target is None:
        return {}
    return {
        "value": s.plain(target.value),
        "direction": target.direction,
        "tolerance": s.plain(target.tolerance),
        "note": target.note,
    }


def detail_context(
    request: HttpRequest, indicator: Indicator, year: int, target: Target | None, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    user = request.user
    results = s.target_results(year, indicator=indicator) if target else []
    result = next((r for r in results if r.target.organisation_id is None), None)
    formula = BY_CODE.get(indicator.formula) if indicator.kind == Indicator.Kind.COMPUTED else None
    entered = indicator.kind == Indicator.Kind.ENTERED
    return {
        "indicator": indicator,
        "formula": formula,
        "year": year,
        "years": d.years_offered(),
        "figure": result.figure if result else s.figure(indicator, year),
        "trend": trend_chart([d.trend(indicator, year)]),
        "entries": s.entered_values(indicator, year).select_related("entered_by") if entered else [],
        "target": target,
        "result": result,
        "comments": Comment.objects.filter(indicator=indicator, year=year).select_related("author"),
        "can_manage": permissions.can_manage_indicators(user),
        "can_comment": permissions.can_comment_indicators(user),
        "forms": bound,
        "section": SECTION,
    }


# An organisation's figures ----------------------------------------------------------------------------------


@login_required
def organisation_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's figures for the year, each with its drill-down: for the bureau, the experts and the
    organisation's office."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_view_organisation_figures(request.user, organisation.pk):
        raise PermissionDenied("只有该机构的管理员、工作人员和科技局可以查看机构指标")
    year = year_of(request.GET, d.default_year())
    context = {
        "organisation": organisation,
        "figures": s.figures(year, organisation),
        "year": year,
        "years": d.years_offered(),
        "section": SECTION,
    }
    return render(request, "reports/organisation.html", context)


# Leaderboards' settings --------------------------------------------------------------------------------------


@login_required
def leaderboards(request: HttpRequest) -> HttpResponse:
    """The bureau's leaderboards: each year's period, title and summary (leaderboard_save), published or
    withdrawn (leaderboard_publish)."""
    if not permissions.can_manage_indicators(request.user):
        raise PermissionDenied("只有科技局管理员可以编制成果榜单")
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return leaderboards_export(Leaderboard.objects.select_related("published_by"))
    editing = Leaderboard.objects.filter(year=year_of(request.GET, 0)).first()
    form = LeaderboardForm(request.POST or None, initial=board_initial(editing))
    if request.method == "POST":
        if request.POST.get("action") in ("publish", "withdraw"):
            return publish(request)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                board = services.leaderboard_save(by=request.user, **data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"{board.year} 年度榜单已保存")
                return redirect("reports:leaderboards")
    boards = [(b, leaderboard_url(b.year)) for b in Leaderboard.objects.select_related("published_by")]
    context = {
        "boards": boards,
        "form": form,
        "editing": editing,
        "query": query_without_page(request),
        "section": SECTION,
    }
    return render(request, "reports/leaderboards.html", context)


LEADERBOARD_COLUMNS = [
    Column("年度", "year", width=8),
    Column("标题", "title", width=30),
    Column("统计截至", "ends_on", width=12),
    Column("状态", "status", width=8),
    Column("发布时间", "published_at", width=18),
    Column("发布人", "published_by", width=12),
]


def leaderboards_export(boards: QuerySet[Leaderboard]) -> HttpResponse:
    rows = (
        [
            b.year,
            str(b),
            b.ends_on,
            "已发布" if b.published_at else "未发布",
            local_minute(b.published_at),
            str(b.published_by or ""),
        ]
        for b in boards
    )
    return table_response("成果榜单", LEADERBOARD_COLUMNS, rows)


def board_initial(board: Leaderboard | None) -> dict[str, Any]:
    if board is None:
        return {}
    return {"year": board.year, "ends_on": board.ends_on, "title": board.title, "summary": board.summary}


def publish(request: HttpRequest) -> HttpResponse:
    board = get_object_or_404(Leaderboard, year=year_of(request.POST, 0))
    publishing = request.POST.get("action") == "publish"
    services.leaderboard_publish(by=request.user, board=board, publish=publishing)  # type: ignore[arg-type]
    messages.success(request, f"{board.year} 年度榜单已{'发布' if publishing else '撤回'}")
    return redirect("reports:leaderboards")
