"""API of the proof-of-concept app at /api/v1/poc: platforms, calls, applying, an expert's reviews and
scores, a call's results, funding decisions, milestones and outcomes. Reads go through
fanxing.poc.selectors, writes through fanxing.poc.services: the same rules as the pages."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from fanxing.accounts import permissions
from fanxing.achievements.models import Achievement
from fanxing.core.schemas import InputSchema, RecordId
from fanxing.deals.models import TechContract
from fanxing.poc import selectors, services
from fanxing.poc.models import Milestone, PocApplication, PocCall, PocPlatform, ReviewAssignment

router = Router(tags=["概念验证"])


class PlatformQuery(Schema):
    level: str = Field("", description="级别：provincial（省级）, municipal（市级）")
    q: str = Field("", description="名称、依托单位或服务内容中的词")


class CallQuery(Schema):
    status: str = Field("", description="状态：draft, open, reviewing, decided")
    funder: str = Field("", description="资金来源：platform, president, district")


class ApplyIn(InputSchema):
    achievement: RecordId = Field(description="成果编号（id），须为本机构的成果")
    plan: str = Field(description="验证方案")
    budget: Decimal = Field(description="申请经费（万元），不超过单项资助上限")


class ReviewIn(InputSchema):
    scores: dict[str, float] = Field(description="各项指标的评分，键为评分细则的指标代码")
    comment: str = Field("", description="评审意见")


class DecisionIn(InputSchema):
    amount: Decimal = Field(description="资助金额（万元）：不超过单项上限、申请经费和征集剩余预算")
    note: str = Field("", description="说明")


class MilestoneIn(InputSchema):
    title: str
    due_on: datetime.date
    deliverable: str
    amount: Decimal = Field(Decimal(0), description="该节点拨付金额（万元）")


class ReportIn(InputSchema):
    report: str = Field(description="完成情况")
    evidence_link: str = Field("", description="佐证链接")
    evidence_name: str = Field("", description="佐证文件名")


class OutcomeIn(InputSchema):
    status: str = Field(description="结果：converted（已转化，须填 contract）, continuing, stopped")
    contract: RecordId | None = Field(None, description="技术合同编号（id），申报单位的合同")
    note: str = ""
    date: datetime.date | None = None


def platform_out(p: PocPlatform) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "level": p.level,
        "level_label": p.get_level_display(),
        "host": {"id": p.host_id, "name": p.host.name},
        "fields": [{"code": f.code, "name": f.name} for f in p.fields.all()],
        "services": p.services,
        "recognised_year": p.recognised_year,
        "status": p.status,
    }


def call_out(c: PocCall) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "funder": c.funder,
        "funder_label": c.get_funder_display(),
        "platform": c.platform_id,
        "host": {"id": c.host_id, "name": c.host.name} if c.host else None,
        "budget_total": float(c.budget_total),
        "per_project_cap": float(c.per_project_cap),
        "opens_on": c.opens_on,
        "deadline": c.deadline,
        "rubric": c.rubric,
        "reviewers_per_application": c.reviewers_per_application,
        "status": c.status,
    }


def milestone_out(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "due_on": m.due_on,
        "deliverable": m.deliverable,
        "amount": float(m.amount),
        "report": m.report,
        "evidence_link": m.evidence_link,
        "evidence_name": m.evidence_name,
        "reported_on": m.reported_on,
        "accepted": m.accepted,
    }


def application_out(a: PocApplication) -> dict[str, Any]:
    decision = getattr(a, "decision", None)
    outcome = getattr(a, "outcome", None)
    return {
        "id": a.pk,
        "call": a.call_id,
        "applicant": {"id": a.applicant_id, "name": a.applicant.name},
        "achievement": {"id": a.achievement_id, "title": a.achievement.title},
        "budget": float(a.budget),
        "status": a.status,
        "funded": float(decision.amount) if decision else None,
        "milestones": [milestone_out(m) for m in a.milestones.all()],
        "outcome": {
            "status": outcome.status,
            "contract": outcome.contract_id,
            "date": outcome.date,
            "note": outcome.note,
        }
        if outcome
        else None,
    }


@router.get("/platforms", summary="概念验证平台名录")
def list_platforms(request: HttpRequest, query: Query[PlatformQuery]) -> list[dict[str, Any]]:
    return [platform_out(p) for p in selectors.platform_list(level=query.level, q=query.q)]


@router.get("/calls", summary="项目征集")
def list_calls(request: HttpRequest, query: Query[CallQuery]) -> list[dict[str, Any]]:
    qs = selectors.call_list(request.auth, status=query.status, funder=query.funder)  # type: ignore[attr-defined]
    return [call_out(c) for c in qs]


@router.get("/calls/{int:call_id}", summary="征集详情")
def get_call(request: HttpRequest, call_id: int) -> dict[str, Any]:
    return call_out(selectors.call_get(request.auth, call_id))  # type: ignore[attr-defined]


@router.post("/calls/{int:call_id}/apply", response={201: dict}, summary="申报")
def apply(request: HttpRequest, call_id: int, payload: ApplyIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    call = selectors.call_get(user, call_id)
    achievement = get_object_or_404(Achievement, pk=payload.achievement)
    application = services.application_submit(
        by=user, call=call, achievement=achievement, plan=payload.plan, budget=payload.budget
    )
    return Status(201, application_out(selectors.application_get(user, application.pk)))


@router.get("/calls/{int:call_id}/applications", summary="征集的申报（组织方）")
def call_applications(request: HttpRequest, call_id: int) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    call = selectors.call_get(user, call_id)
    if not permissions.can_manage_poc_call(user, call):
        raise PermissionDenied("只有征集的组织方可以查看全部申报")
    return [application_out(a) for a in selectors.application_list(user, call=call)]


@router.get("/calls/{int:call_id}/results", summary="评审结果（组织方）")
def call_results(request: HttpRequest, call_id: int) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    call = selectors.call_get(user, call_id)
    return [
        {
            "place": r.ranked.place,
            "application": r.application.pk,
            "applicant": r.application.applicant.name,
            "achievement": r.application.achievement.title,
            "raw_mean": r.ranked.raw_mean,
            "score": r.ranked.score,
            "judges": r.ranked.judges,
            "spread": r.ranked.spread,
            "disputed": r.ranked.disputed,
        }
        for r in services.results(by=user, call=call)
    ]


@router.get("/applications/{int:application_id}", summary="申报详情")
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return application_out(selectors.application_get(request.auth, application_id))  # type: ignore[attr-defined]


@router.get("/reviews", summary="我的评审")
def my_reviews(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "call": a.application.call.title,
            "application": a.application_id,
            "applicant": a.application.applicant.name,
            "achievement": a.application.achievement.title,
            "rubric": a.application.call.rubric,
            "total": float(a.review.total) if hasattr(a, "review") else None,
        }
        for a in selectors.my_assignments(request.auth)  # type: ignore[attr-defined]
    ]


@router.post("/reviews/{int:assignment_id}", response={201: dict}, summary="提交评审")
def submit_review(request: HttpRequest, assignment_id: int, payload: ReviewIn) -> Status[dict[str, Any]]:
    assignment = get_object_or_404(ReviewAssignment, pk=assignment_id)
    result = services.review_submit(
        by=request.auth,  # type: ignore[attr-defined]
        assignment=assignment,
        scores=payload.scores,
        comment=payload.comment,
    )
    return Status(201, {"id": result.pk, "total": float(result.total), "scores": result.scores})


@router.post("/applications/{int:application_id}/decision", summary="资助决定（组织方）")
def decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    application = selectors.application_get(user, application_id)
    services.funding_decide(by=user, application=application, amount=payload.amount, note=payload.note)
    return application_out(selectors.application_get(user, application_id))


@router.post("/applications/{int:application_id}/milestones", response={201: dict}, summary="添加项目节点")
def add_milestone(request: HttpRequest, application_id: int, payload: MilestoneIn) -> Status[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    application = selectors.application_get(user, application_id)
    milestone = services.milestone_add(by=user, application=application, **payload.dict())
    return Status(201, milestone_out(milestone))


def visible_milestone(user: Any, milestone_id: int) -> Milestone:
    milestone = get_object_or_404(Milestone, pk=milestone_id)
    selectors.application_get(user, milestone.application_id)
    return milestone


@router.post("/milestones/{int:milestone_id}/report", summary="填报节点完成情况")
def report_milestone(request: HttpRequest, milestone_id: int, payload: ReportIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    milestone = services.milestone_report(
        by=user, milestone=visible_milestone(user, milestone_id), **payload.dict()
    )
    return milestone_out(milestone)


@router.post("/milestones/{int:milestone_id}/accept", summary="验收节点（组织方）")
def accept_milestone(request: HttpRequest, milestone_id: int) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    return milestone_out(services.milestone_accept(by=user, milestone=visible_milestone(user, milestone_id)))


@router.post("/applications/{int:application_id}/outcome", summary="登记项目结果")
def record_outcome(request: HttpRequest, application_id: int, payload: OutcomeIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    application = selectors.application_get(user, application_id)
    contract = get_object_or_404(TechContract, pk=payload.contract) if payload.contract else None
    services.outcome_record(
        by=user,
        application=application,
        status=payload.status,
        contract=contract,
        note=payload.note,
        date=payload.date,
    )
    return application_out(selectors.application_get(user, application_id))
