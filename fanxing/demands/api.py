"""API for demands: list, detail, create, change and the review workflow.

Reads go through `demand_list` / `demand_get` (published demands past their deadline are hidden from
other organisations), writes through `demand_save` / `demand_move`. Contacts and confidential details
are null for callers who may not see them.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.schemas import (
    ListQuery,
    ReasonIn,
    ReviewedIn,
    ReviewedOut,
    check_amounts,
    clean_text_nulls,
    confidential_checker,
    list_filters,
    paginate,
    partial_schema,
    resolve_references,
    reviewed_out,
)
from fanxing.demands.models import Demand
from fanxing.demands.selectors import SORTS, demand_get, demand_list
from fanxing.demands.services import demand_move, demand_save

router = Router(tags=["技术需求"])


class DemandIn(ReviewedIn):
    """A new demand; it is saved as a draft (草稿) and goes to review with /submit."""

    title: str = Field(description="需求名称")
    problem: str = Field(description="需解决的问题")
    wanted_effect: str = Field("", description="期望效果")
    min_trl: int = Field(1, ge=1, le=9, description="可接受的最低技术就绪水平 1–9")
    budget_negotiable: bool = Field(False, description="预算面议")
    budget_min: Decimal | None = Field(None, description="预算下限，万元")
    budget_max: Decimal | None = Field(None, description="预算上限，万元")
    deadline: date = Field(description="截止日期 YYYY-MM-DD")


DemandPatch = partial_schema(DemandIn, "DemandPatch")


class DemandOut(ReviewedOut):
    problem: str
    wanted_effect: str
    min_trl: int
    budget_negotiable: bool
    budget_min: float | None = Field(None, description="万元")
    budget_max: float | None = Field(None, description="万元")
    budget_label: str
    deadline: date


class DemandDetailOut(DemandOut):
    actions: list[str] = Field(description="当前用户可执行的流程操作：submit, publish, return, withdraw")


class DemandPage(Schema):
    count: int
    items: list[DemandOut]


def demand_out(record: Demand, show_confidential: bool) -> dict[str, Any]:
    return reviewed_out(record, show_confidential) | {
        "problem": record.problem,
        "wanted_effect": record.wanted_effect,
        "min_trl": record.min_trl,
        "budget_negotiable": record.budget_negotiable,
        "budget_min": record.budget_min,
        "budget_max": record.budget_max,
        "budget_label": record.budget_label,
        "deadline": record.deadline,
    }


def demand_detail_out(record: Demand, user: AnyUser) -> dict[str, Any]:
    return demand_out(record, permissions.can_see_confidential(user, record)) | {
        "actions": permissions.moves_for(user, record),
    }


def service_arguments(data: dict[str, Any], user: AnyUser, record: Demand | None) -> dict[str, Any]:
    """The keyword arguments of `demand_save` from the request body."""
    fields, ways = resolve_references(clean_text_nulls(Demand, data), user, creating=record is None)
    return {"fields": check_amounts(fields, record, "budget"), "ways": ways}


@router.get("", response=DemandPage, summary="需求列表")
def list_demands(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    """Demands you may see, filtered (trl_min/trl_max apply to the minimum TRL), sorted and paged.

    Sorts: newest, deadline, budget, oldest, updated.
    """
    user = request.auth  # type: ignore[attr-defined]
    count, rows = paginate(demand_list(user, list_filters(filters, SORTS)), filters)
    show = confidential_checker(user, Demand)
    return {"count": count, "items": [demand_out(d, show(d)) for d in rows]}


@router.get("/{int:demand_id}", response=DemandDetailOut, summary="需求详情")
def get_demand(request: HttpRequest, demand_id: int) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return demand_detail_out(demand_get(user, demand_id), user)


@router.post("", response={201: DemandDetailOut}, summary="新建需求（草稿）")
def create_demand(request: HttpRequest, payload: DemandIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    record = demand_save(by=user, **service_arguments(payload.dict(), user, None))
    return Status(201, demand_detail_out(demand_get(user, record.pk), user))


@router.patch("/{int:demand_id}", response=DemandDetailOut, summary="修改需求（只改所给字段）")
def update_demand(
    request: HttpRequest,
    demand_id: int,
    payload: DemandPatch,  # type: ignore[valid-type]
) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    record = demand_get(user, demand_id)
    demand_save(by=user, demand=record, **service_arguments(payload.dict(exclude_unset=True), user, record))
    return demand_detail_out(demand_get(user, demand_id), user)


def move(request: HttpRequest, demand_id: int, action: str, reason: str = "") -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    demand_move(demand=demand_get(user, demand_id), action=action, by=user, reason=reason)
    return demand_detail_out(demand_get(user, demand_id), user)


@router.post("/{int:demand_id}/submit", response=DemandDetailOut, summary="提交审核")
def submit_demand(request: HttpRequest, demand_id: int) -> dict[str, Any]:
    return move(request, demand_id, "submit")


@router.post("/{int:demand_id}/publish", response=DemandDetailOut, summary="审核通过并发布（科技局管理员）")
def publish_demand(request: HttpRequest, demand_id: int) -> dict[str, Any]:
    return move(request, demand_id, "publish")


@router.post(
    "/{int:demand_id}/return", response=DemandDetailOut, summary="退回修改（科技局管理员，须填原因）"
)
def return_demand(request: HttpRequest, demand_id: int, payload: ReasonIn) -> dict[str, Any]:
    return move(request, demand_id, "return", payload.reason)


@router.post("/{int:demand_id}/withdraw", response=DemandDetailOut, summary="撤回")
def withdraw_demand(request: HttpRequest, demand_id: int) -> dict[str, Any]:
    return move(request, demand_id, "withdraw")
