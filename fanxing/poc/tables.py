"""The Excel exports of the proof-of-concept lists: columns and one row per record (web pages and CLI)."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from fanxing.core.io import local_minute
from fanxing.core.tabular import Column
from fanxing.poc import selectors, services
from fanxing.poc.models import Milestone, PocApplication, PocCall, PocPlatform, ReviewAssignment


def num(value: Decimal | None) -> Any:
    return float(value) if value is not None else ""


PLATFORM_COLUMNS = [
    Column("平台名称", "name", width=30),
    Column("级别", "level", width=8),
    Column("依托单位", "host", width=26),
    Column("服务领域", "fields", width=30),
    Column("服务内容", "services", width=40),
    Column("认定年份", "recognised_year", width=10),
    Column("状态", "status", width=10),
]


def platform_row(p: PocPlatform) -> list[Any]:
    fields = "、".join(f.name for f in p.fields.all())
    return [
        p.name,
        p.get_level_display(),
        p.host.name,
        fields,
        p.services,
        p.recognised_year,
        p.get_status_display(),
    ]


CALL_COLUMNS = [
    Column("名称", "title", width=36),
    Column("资金来源", "funder", width=12),
    Column("组织单位", "host", width=24),
    Column("总预算（万元）", "budget_total", width=14),
    Column("单项上限（万元）", "per_project_cap", width=14),
    Column("开始日期", "opens_on", width=12),
    Column("截止日期", "deadline", width=12),
    Column("状态", "status", width=10),
    Column("申报数", "applied", width=8),
]


def call_row(c: PocCall) -> list[Any]:
    return [
        c.title,
        c.get_funder_display(),
        c.host.name if c.host else "",
        num(c.budget_total),
        num(c.per_project_cap),
        c.opens_on.isoformat(),
        c.deadline.isoformat(),
        c.get_status_display(),
        getattr(c, "applied", ""),
    ]


APPLICATION_COLUMNS = [
    Column("编号", "id", width=8),
    Column("申报单位", "applicant", width=24),
    Column("成果", "achievement", width=36),
    Column("申请经费（万元）", "budget", width=14),
    Column("状态", "status", width=10),
    Column("资助金额（万元）", "amount", width=14),
    Column("提交时间", "submitted_at", width=18),
]


def application_row(a: PocApplication) -> list[Any]:
    decision = getattr(a, "decision", None)
    return [
        a.pk,
        a.applicant.name,
        a.achievement.title,
        num(a.budget),
        a.get_status_display(),
        num(decision.amount) if decision else "",
        local_minute(a.submitted_at),
    ]


ASSIGNMENT_COLUMNS = [
    Column("征集", "call", width=30),
    Column("申报单位", "applicant", width=24),
    Column("成果", "achievement", width=36),
    Column("评审专家", "reviewer", width=14),
    Column("分配依据", "reason", width=20),
    Column("总分", "total", width=8),
    Column("提交时间", "submitted_at", width=18),
]


def assignment_row(a: ReviewAssignment) -> list[Any]:
    done = getattr(a, "review", None)
    return [
        a.application.call.title,
        a.application.applicant.name,
        a.application.achievement.title,
        str(a.reviewer),
        a.reason,
        num(done.total) if done else "待评审",
        local_minute(done.submitted_at) if done else "",
    ]


RESULT_COLUMNS = [
    Column("名次", "place", width=6),
    Column("申报单位", "applicant", width=24),
    Column("成果", "achievement", width=36),
    Column("原始平均分", "raw_mean", width=12),
    Column("标准化得分", "score", width=12),
    Column("评审人数", "judges", width=8),
    Column("极差", "spread", width=8),
    Column("争议", "disputed", width=6),
    Column("申请经费（万元）", "budget", width=14),
    Column("状态", "status", width=10),
    Column("资助金额（万元）", "amount", width=14),
]


def result_row(r: services.Result) -> list[Any]:
    a, ranked = r.application, r.ranked
    decision = getattr(a, "decision", None)
    return [
        ranked.place,
        a.applicant.name,
        a.achievement.title,
        ranked.raw_mean,
        ranked.score,
        ranked.judges,
        ranked.spread,
        "争议" if ranked.disputed else "",
        num(a.budget),
        a.get_status_display(),
        num(decision.amount) if decision else "",
    ]


MILESTONE_COLUMNS = [
    Column("申报单位", "applicant", width=24),
    Column("成果", "achievement", width=30),
    Column("节点", "title", width=20),
    Column("计划完成", "due_on", width=12),
    Column("交付物", "deliverable", width=30),
    Column("拨付金额（万元）", "amount", width=14),
    Column("报告日期", "reported_on", width=12),
    Column("佐证", "evidence", width=30),
    Column("已验收", "accepted", width=8),
]


def milestone_row(m: Milestone) -> list[Any]:
    return [
        m.application.applicant.name,
        m.application.achievement.title,
        m.title,
        m.due_on.isoformat(),
        m.deliverable,
        num(m.amount),
        m.reported_on.isoformat() if m.reported_on else "",
        m.evidence_link or m.evidence_name,
        "是" if m.accepted else "",
    ]


OUTCOME_COLUMNS = [
    Column("申报单位", "applicant", width=24),
    Column("成果", "achievement", width=36),
    Column("资助金额（万元）", "amount", width=14),
    Column("结果", "status", width=10),
    Column("技术合同", "contract", width=30),
    Column("日期", "date", width=12),
    Column("说明", "note", width=30),
]


def outcome_row(a: PocApplication) -> list[Any]:
    outcome = getattr(a, "outcome", None)
    decision = getattr(a, "decision", None)
    return [
        a.applicant.name,
        a.achievement.title,
        num(decision.amount) if decision else "",
        outcome.get_status_display() if outcome else "未登记",
        str(outcome.contract) if outcome and outcome.contract_id else "",
        outcome.date.isoformat() if outcome else "",
        outcome.note if outcome else "",
    ]


TAB_TABLES: dict[str, tuple[Sequence[Column], Callable[[Any], list[Any]]]] = {
    "applications": (APPLICATION_COLUMNS, application_row),
    "assignments": (ASSIGNMENT_COLUMNS, assignment_row),
    "results": (RESULT_COLUMNS, result_row),
    "milestones": (MILESTONE_COLUMNS, milestone_row),
    "outcomes": (OUTCOME_COLUMNS, outcome_row),
}


def tab_rows(user: Any, call: PocCall, tab: str) -> list[Any]:
    """The rows of a call's management tab (what the page shows and the export writes)."""
    if tab == "assignments":
        return list(selectors.call_assignments(call))
    if tab == "results":
        return services.results(by=user, call=call)
    if tab == "milestones":
        return list(selectors.call_milestones(call))
    applications = selectors.application_list(None, call=call)
    if tab == "outcomes":
        applications = applications.filter(status=PocApplication.Status.FUNDED).select_related(
            "outcome__contract"
        )
    return list(applications)
