"""API of the indicators at /api/v1: the indicators, a figure (the district's or an organisation's), the
year's targets with their evaluation, and the writes of the governance loop (a value entered, a target set, a
comment). Reads through fanxing.reports.selectors, writes through fanxing.reports.services: the same rules
as the pages (the bureau and the experts read; the bureau enters and sets; both comment)."""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.models import Organisation
from fanxing.core.schemas import InputSchema, RecordId
from fanxing.reports import dashboard, services
from fanxing.reports import selectors as s
from fanxing.reports.models import Indicator, Target
from fanxing.reports.views import may_see_figure

router = Router(tags=["指标"])

YEAR = Field(None, ge=2000, le=2100, description="年度，默认为最近一个有成果榜单的年度，否则为当年")


class FigureQuery(Schema):
    year: int | None = YEAR
    organisation: RecordId | None = Field(
        None, description="机构编号（id）：该机构的数值（仅按机构统计的指标）"
    )


class TargetQuery(Schema):
    year: int | None = YEAR


class ValueIn(InputSchema):
    year: int = Field(ge=2000, le=2100, description="年度")
    value: Decimal = Field(description="数值（按指标的单位），不能为负数")
    as_of: datetime.date = Field(description="数据截至日期，在该年度或次年内")
    source: str = Field(description="数据来源，例如统计局的公报")
    note: str = ""


class TargetIn(InputSchema):
    value: Decimal = Field(description="目标值")
    direction: Literal["at_least", "at_most"] = Field(
        "at_least", description="at_least（不低于）或 at_most（不高于）"
    )
    tolerance: Decimal = Field(Decimal(10), description="预警容差（%），0 到 100")
    note: str = ""


class CommentIn(InputSchema):
    year: int = Field(ge=2000, le=2100, description="年度")
    text: str = Field(description="意见")


def _user(request: HttpRequest) -> AnyUser:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _require_view(user: AnyUser) -> None:
    if not permissions.can_view_indicators(user):
        raise PermissionDenied("只有科技局管理员和评审专家可以查看指标")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicator_out(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "name": i.name,
        "unit": i.unit,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "group": i.group,
        "description": i.description,
        "numerator": i.numerator.code if i.numerator else None,
        "denominator": i.denominator.code if i.denominator else None,
        "per_organisation": s.per_organisation(i),
    }


def figure_out(f: s.Figure, year: int) -> dict[str, Any]:
    return {
        "key": f.key,
        "indicator": f.indicator.code,
        "year": year,
        "organisation": {"id": f.organisation.pk, "name": f.organisation.name} if f.organisation else None,
        "period": {"start": f.period.start, "end": f.period.end},
        "value": _number(f.value),
        "unit": f.unit,
        "records": f.records,
        "previous": _number(f.previous),
        "change": _number(f.change),
        "source": f.source,
        "drilldown": reverse("reports:figure", args=[year, f.key]),
    }


def target_out(result: s.TargetResult) -> dict[str, Any]:
    t, e = result.target, result.evaluation
    return {
        "indicator": t.indicator.code,
        "name": t.indicator.name,
        "year": t.year,
        "organisation": t.organisation_id,
        "value": float(t.value),
        "direction": t.direction,
        "tolerance": float(t.tolerance),
        "note": t.note,
        "actual": _number(result.figure.value),
        "unit": result.figure.unit,
        "verdict": e.verdict.value,
        "verdict_label": e.verdict.label,
        "expected": _number(e.expected),
        "progress": _number(e.progress),
        "rule": e.rule,
    }


def _indicator(code: str) -> Indicator:
    found = s.indicator_list().filter(code=code).first()
    if found is None:
        raise Http404(f"没有代码为 {code} 的指标")
    return found


@router.get("/indicators", summary="指标列表")
def list_indicators(request: HttpRequest) -> list[dict[str, Any]]:
    _require_view(_user(request))
    return [indicator_out(i) for i in s.indicator_list()]


@router.get("/indicators/{code}/figures", summary="指标的年度数值（全区或某机构）")
def get_figure(request: HttpRequest, code: str, query: Query[FigureQuery]) -> dict[str, Any]:
    """The figure page's rule: the bureau and the experts; an organisation's office its own figures; everyone
    once the year's leaderboard is published."""
    indicator, year = _indicator(code), query.year or dashboard.default_year()
    organisation = get_object_or_404(Organisation, pk=query.organisation) if query.organisation else None
    if organisation is not None and not s.per_organisation(indicator):
        raise ValidationError({"organisation": f"“{indicator.name}”不按机构统计"})
    found = s.figure(indicator, year, organisation)
    if not may_see_figure(request, found, year):
        raise PermissionDenied("无权查看该指标：请以科技局管理员、评审专家或本机构账号登录")
    return figure_out(found, year)


@router.post("/indicators/{code}/values", response={201: dict}, summary="填报数值（科技局）")
def enter_value(request: HttpRequest, code: str, payload: ValueIn) -> Status[dict[str, Any]]:
    row = services.value_enter(by=_user(request), indicator=_indicator(code), **payload.dict())  # type: ignore[arg-type]
    body = {
        "id": row.pk,
        "indicator": code,
        "year": row.year,
        "value": float(row.value),
        "as_of": row.as_of,
        "source": row.source,
        "note": row.note,
    }
    return Status(201, body)


@router.put("/indicators/{code}/targets/{int:year}", summary="设定年度目标（科技局）")
def set_target(request: HttpRequest, code: str, year: int, payload: TargetIn) -> dict[str, Any]:
    target = services.target_save(
        by=_user(request),  # type: ignore[arg-type]
        indicator=_indicator(code),
        year=year,
        value=payload.value,
        direction=payload.direction,
        tolerance=payload.tolerance,
        note=payload.note,
    )
    result = next(r for r in s.target_results(year, indicator=target.indicator) if r.target.pk == target.pk)
    return target_out(result)


@router.get("/targets", summary="年度目标及评估")
def list_targets(request: HttpRequest, query: Query[TargetQuery]) -> list[dict[str, Any]]:
    _require_view(_user(request))
    return [target_out(r) for r in s.target_results(query.year or dashboard.default_year())]


@router.post("/indicators/{code}/comments", response={201: dict}, summary="发表意见（科技局、评审专家）")
def add_comment(request: HttpRequest, code: str, payload: CommentIn) -> Status[dict[str, Any]]:
    indicator = _indicator(code)
    target = Target.objects.filter(indicator=indicator, year=payload.year, organisation=None).first()
    comment = services.comment_add(
        by=_user(request),  # type: ignore[arg-type]
        indicator=indicator,
        year=payload.year,
        text=payload.text,
        target=target,
    )
    body = {
        "id": comment.pk,
        "indicator": code,
        "year": comment.year,
        "target": comment.target_id,
        "author": str(comment.author),
        "text": comment.text,
        "created_at": comment.created_at,
    }
    return Status(201, body)
