"""API for leads (对接线索): list (the board's filters), detail with the activity log, create (assigned by
specialty and load unless a manager is named), move, log an activity, reassign. Reads go through
`lead_list` / `lead_get`, writes through the services in fanxing.deals.services.leads."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from fanxing.accounts.models import Role, User
from fanxing.achievements.selectors import achievement_get
from fanxing.core.schemas import InputSchema, PageQuery, RecordId, paginate, record_ref_out
from fanxing.deals.models import Lead
from fanxing.deals.selectors.leads import lead_get, lead_list
from fanxing.deals.services.leads import lead_activity_add, lead_assign, lead_create, lead_move
from fanxing.demands.selectors import demand_get

router = Router(tags=["对接线索"])


class LeadQuery(PageQuery):
    stage: str = Field("", description="阶段：new, contacted, negotiating, signed, closed")
    manager: RecordId | None = Field(None, description="技术经理人的用户编号")
    stale: bool = Field(False, description="只看超过设定天数无跟进的线索")


class ActivityOut(Schema):
    kind: str
    kind_label: str
    happened_on: datetime.date
    note: str
    by: str


class LeadOut(Schema):
    id: int
    demand: dict[str, Any] | None
    achievement: dict[str, Any] | None
    manager: dict[str, Any] | None
    assignment: str = Field(description="分配依据")
    stage: str
    stage_label: str
    close_reason: str
    close_reason_label: str
    source: str
    score: float | None
    stale: bool
    last_activity_at: datetime.datetime
    created_at: datetime.datetime


class LeadDetailOut(LeadOut):
    activities: list[ActivityOut]
    contracts: list[dict[str, Any]]


class LeadPage(Schema):
    count: int
    items: list[LeadOut]


class LeadIn(InputSchema):
    demand: RecordId | None = Field(None, description="需求编号（id）")
    achievement: RecordId | None = Field(None, description="成果编号（id）")
    manager: RecordId | None = Field(None, description="技术经理人的用户编号；不填则按专长和在办线索自动分配")
    source: str = Field("manual", description="来源：match, event, manual")
    note: str = Field("", description="说明")


class MoveIn(InputSchema):
    stage: str = Field(description="目标阶段：contacted, negotiating, signed, closed")
    close_reason: str = Field(
        "", description="终止原因（stage=closed 时必填）：" + "、".join(Lead.CloseReason.values)
    )
    note: str = Field("", description="说明")


class ActivityIn(InputSchema):
    kind: str = Field(description="方式：call, visit, meeting, note")
    happened_on: datetime.date = Field(description="日期，不晚于今天")
    note: str = Field(description="内容")


class AssignIn(InputSchema):
    manager: RecordId = Field(description="技术经理人的用户编号")
    reason: str = Field("", description="改派原因")


def lead_out(lead: Lead) -> dict[str, Any]:
    manager = lead.manager
    return {
        "id": lead.pk,
        "demand": record_ref_out(lead.demand),
        "achievement": record_ref_out(lead.achievement),
        "manager": {"id": manager.pk, "name": str(manager)} if manager else None,
        "assignment": lead.assignment,
        "stage": lead.stage,
        "stage_label": lead.get_stage_display(),
        "close_reason": lead.close_reason,
        "close_reason_label": lead.get_close_reason_display() if lead.close_reason else "",
        "source": lead.source,
        "score": lead.score,
        "stale": bool(getattr(lead, "stale", False)),
        "last_activity_at": lead.last_activity_at,
        "created_at": lead.created_at,
    }


def lead_detail_out(user: Any, pk: int) -> dict[str, Any]:
    lead = lead_get(user, pk)
    return lead_out(lead) | {
        "activities": [
            {
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "happened_on": a.happened_on,
                "note": a.note,
                "by": str(a.by or "系统"),
            }
            for a in lead.activities.select_related("by")
        ],
        "contracts": [
            {
                "id": c.pk,
                "number": c.number,
                "kind": c.kind,
                "amount": float(c.amount),
                "signed_on": c.signed_on,
            }
            for c in lead.contracts.all()
        ],
    }


def manager_of(pk: int) -> User:
    return get_object_or_404(User, pk=pk, role=Role.MANAGER)


@router.get("", response=LeadPage, summary="线索列表")
def list_leads(request: HttpRequest, query: Query[LeadQuery]) -> dict[str, Any]:
    """The leads you may read: the bureau all, a manager theirs, an organisation those on its records."""
    user = request.auth  # type: ignore[attr-defined]
    qs = lead_list(user, stage=query.stage, manager_id=query.manager, stale=query.stale)
    count, rows = paginate(qs, query)
    return {"count": count, "items": [lead_out(lead) for lead in rows]}


@router.get("/{int:lead_id}", response=LeadDetailOut, summary="线索详情（含跟进记录）")
def get_lead(request: HttpRequest, lead_id: int) -> dict[str, Any]:
    return lead_detail_out(request.auth, lead_id)  # type: ignore[attr-defined]


@router.post("", response={201: LeadDetailOut}, summary="新建线索")
def create_lead(request: HttpRequest, payload: LeadIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    lead = lead_create(
        by=user,
        demand=demand_get(user, payload.demand) if payload.demand else None,
        achievement=achievement_get(user, payload.achievement) if payload.achievement else None,
        manager=manager_of(payload.manager) if payload.manager else None,
        source=payload.source,
        note=payload.note,
    )
    return Status(201, lead_detail_out(user, lead.pk))


@router.post("/{int:lead_id}/move", response=LeadDetailOut, summary="推进或终止线索")
def move_lead(request: HttpRequest, lead_id: int, payload: MoveIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    lead_move(by=user, lead=lead_get(user, lead_id), **payload.dict())
    return lead_detail_out(user, lead_id)


@router.post("/{int:lead_id}/activities", response={201: LeadDetailOut}, summary="记录跟进")
def add_activity(request: HttpRequest, lead_id: int, payload: ActivityIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    lead_activity_add(by=user, lead=lead_get(user, lead_id), **payload.dict())
    return Status(201, lead_detail_out(user, lead_id))


@router.post("/{int:lead_id}/assign", response=LeadDetailOut, summary="改派线索（科技局管理员）")
def assign_lead(request: HttpRequest, lead_id: int, payload: AssignIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    lead_assign(
        by=user, lead=lead_get(user, lead_id), manager=manager_of(payload.manager), reason=payload.reason
    )
    return lead_detail_out(user, lead_id)
