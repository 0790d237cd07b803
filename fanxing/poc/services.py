"""Writes of the proof-of-concept app: platforms, calls, applications, review, funding, milestones, outcomes.

Each one atomic, checked through `fanxing.accounts.permissions` (`by=None` is the platform: the CLI, a job),
validated with a ValidationError naming the field, and audited. The review arithmetic is `core.review`:
rubric totals, the conflict-of-interest test (with `managers.selectors.person_organisation_ids`), rankings.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import Role, User
from fanxing.core import review
from fanxing.core.services import audit, diff, notify, require, snapshot
from fanxing.managers.models import ExpertProfile
from fanxing.managers.selectors import person_organisation_ids
from fanxing.poc.models import (
    FundingDecision,
    Milestone,
    Outcome,
    PocApplication,
    PocCall,
    PocPlatform,
    Review,
    ReviewAssignment,
)

App = PocApplication.Status
CallStatus = PocCall.Status
PLATFORM_FIELDS = ["name", "level", "host", "services", "recognised_year", "status"]
CALL_FIELDS = [
    "title",
    "funder",
    "platform",
    "host",
    "description",
    "budget_total",
    "per_project_cap",
    "opens_on",
    "deadline",
    "rubric",
    "reviewers_per_application",
]


def money(value: Any) -> str:
    return f"{Decimal(value).normalize():f}"


def set_fields(record: Any, fields: dict[str, Any], names: list[str]) -> list[Any] | None:
    """Copy the allowed fields onto a record; returns the M2M `fields` (技术领域) to set after saving."""
    unknown = set(fields) - set(names) - {"fields"}
    if unknown:
        raise ValidationError(f"不能修改这些字段：{'、'.join(sorted(unknown))}")
    for name, value in fields.items():
        if name != "fields":
            setattr(record, name, value)
    return fields.get("fields")


# Platforms --------------------------------------------------------------------------------------------


@transaction.atomic
def platform_save(
    *, by: User | None, fields: dict[str, Any], platform: PocPlatform | None = None
) -> PocPlatform:
    """Record a recognised platform (the bureau) or change one (the bureau, the host's admins)."""
    if by is not None:
        require(
            permissions.can_edit_poc_platform(by, platform),
            "只有科技局管理员或平台依托单位管理员可以维护概念验证平台",
        )
    is_new = platform is None
    platform = (
        PocPlatform() if platform is None else PocPlatform.objects.select_for_update().get(pk=platform.pk)
    )
    before = {} if is_new else snapshot(platform, PLATFORM_FIELDS)
    if not is_new and by is not None and not permissions.is_admin(by):
        fields = {k: v for k, v in fields.items() if k not in ("host", "level", "status", "recognised_year")}
    tech_fields = set_fields(platform, fields, PLATFORM_FIELDS)
    platform.full_clean()
    platform.save()
    if tech_fields is not None:
        platform.fields.set(tech_fields)
    changes = diff(before, snapshot(platform, PLATFORM_FIELDS))
    if is_new or changes:
        audit(actor=by, action="create" if is_new else "update", target=platform, changes=changes)
    return platform


# Calls ------------------------------------------------------------------------------------------------


@transaction.atomic
def call_save(*, by: User | None, fields: dict[str, Any], call: PocCall | None = None) -> PocCall:
    """Create a call (a draft) or change one not yet decided. The rubric is checked by `core.review.Rubric`;
    a platform's call is hosted by the platform's organisation."""
    is_new = call is None
    if is_new:
        call = PocCall(created_by=by)
        before: dict[str, Any] = {}
    else:
        call = PocCall.objects.select_for_update().get(pk=call.pk)
        if by is not None:
            require(permissions.can_manage_poc_call(by, call), "无权修改该征集")
        if call.status == CallStatus.DECIDED:
            raise ValidationError({"status": "征集已决定，不能再修改"})
        before = snapshot(call, CALL_FIELDS)
    tech_fields = set_fields(call, fields, CALL_FIELDS)
    if call.platform_id and call.funder == PocCall.Funder.PLATFORM:
        call.host_id = call.platform.host_id
    if by is not None:
        require(
            permissions.can_create_poc_call(by, call.host_id), "只能为本机构设立征集（区级专项由科技局设立）"
        )
    if (
        not is_new
        and call.status != CallStatus.DRAFT
        and "rubric" in fields
        and fields["rubric"] != before["rubric"]
    ):
        raise ValidationError({"rubric": "征集已开始申报，评分细则不能再修改"})
    call.full_clean()
    call.save()
    if tech_fields is not None:
        call.fields.set(tech_fields)
    changes = diff(before, snapshot(call, CALL_FIELDS))
    if is_new or changes:
        audit(actor=by, action="create" if is_new else "update", target=call, changes=changes)
    return call


MOVES = {
    CallStatus.OPEN: (CallStatus.DRAFT,),
    CallStatus.REVIEWING: (CallStatus.OPEN,),
    CallStatus.DECIDED: (CallStatus.REVIEWING,),
}


@transaction.atomic
def call_move(*, by: User | None, call: PocCall, status: str) -> PocCall:
    """草稿 → 申报中 (the rubric checked again) → 评审中 (applications go under review) → 已决定 (the
    applications not funded are rejected)."""
    call = PocCall.objects.select_for_update().get(pk=call.pk)
    if by is not None:
        require(permissions.can_manage_poc_call(by, call), "无权管理该征集")
    if status not in MOVES or call.status not in MOVES[CallStatus(status)]:
        raise ValidationError({"status": f"当前状态为“{call.get_status_display()}”，不能改为“{status}”"})
    if status == CallStatus.OPEN:
        call.full_clean()  # the rubric, the budget and the dates
    before = call.status
    call.status = status
    call.save(update_fields=["status"])
    live = call.applications.filter(status__in=[App.SUBMITTED, App.UNDER_REVIEW])
    if status == CallStatus.REVIEWING:
        live.update(status=App.UNDER_REVIEW)
    elif status == CallStatus.DECIDED:
        live.update(status=App.REJECTED)
    audit(actor=by, action=f"call_{status}", target=call, changes={"status": [before, status]})
    return call


def call_open(*, by: User | None, call: PocCall) -> PocCall:
    return call_move(by=by, call=call, status=CallStatus.OPEN)


# Applications -----------------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    by: User | None,
    call: PocCall,
    achievement: Any,
    plan: str,
    budget: Decimal,
    applicant: Any = None,
    today: datetime.date | None = None,
) -> PocApplication:
    """Apply to an open call before its deadline for an achievement of the applicant organisation (the
    applicant's own by default), with a plan and a budget within the call's cap."""
    today = today or timezone.localdate()
    applicant = applicant or (by.organisation if by is not None else None) or achievement.organisation
    if by is not None:
        require(permissions.can_apply_poc(by, applicant.pk), "只能以本机构名义申报")
    call = PocCall.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.OPEN or today < call.opens_on:
        raise ValidationError({"call": f"该征集当前不接受申报（{call.get_status_display()}）"})
    if today > call.deadline:
        raise ValidationError({"call": f"申报已于 {call.deadline} 截止"})
    if achievement.organisation_id != applicant.pk:
        raise ValidationError(
            {"achievement": f"成果“{achievement.title}”不属于{applicant}，只能申报本机构的成果"}
        )
    if call.funder == PocCall.Funder.PRESIDENT and applicant.pk != call.host_id:
        raise ValidationError({"call": f"校长基金只受理{call.host}的申报"})
    budget = Decimal(budget)
    if budget > call.per_project_cap:
        raise ValidationError(
            {
                "budget": f"申请经费（{money(budget)} 万元）超过单项资助上限（{money(call.per_project_cap)} 万元）"
            }
        )
    if call.applications.filter(achievement=achievement).exclude(status=App.WITHDRAWN).exists():
        raise ValidationError({"achievement": "该成果已申报过本征集"})
    call.applications.filter(achievement=achievement, status=App.WITHDRAWN).delete()
    application = PocApplication(
        call=call,
        achievement=achievement,
        applicant=applicant,
        plan=plan.strip(),
        budget=budget,
        submitted_by=by,
    )
    application.full_clean()
    application.save()
    audit(actor=by, action="poc_apply", target=application, changes={"budget": [None, money(budget)]})
    return application


@transaction.atomic
def application_withdraw(*, by: User | None, application: PocApplication) -> PocApplication:
    """The applicant withdraws an application not yet decided."""
    application = PocApplication.objects.select_for_update().get(pk=application.pk)
    if by is not None:
        require(permissions.can_edit_poc_application(by, application), "只有申报单位可以撤回申报")
    if application.status not in (App.SUBMITTED, App.UNDER_REVIEW):
        raise ValidationError({"status": f"申报已{application.get_status_display()}，不能撤回"})
    before = application.status
    application.status = App.WITHDRAWN
    application.save(update_fields=["status"])
    audit(actor=by, action="poc_withdraw", target=application, changes={"status": [before, App.WITHDRAWN]})
    return application


# Review -----------------------------------------------------------------------------------------------


def entry_organisations(application: PocApplication) -> set[int]:
    """The organisations an application comes from: the applicant and the achievement's owner."""
    return {application.applicant_id, application.achievement.organisation_id}


def is_conflicted(reviewer: User, application: PocApplication) -> bool:
    return review.conflicted(person_organisation_ids(reviewer), entry_organisations(application))


def ranked_experts(application: PocApplication) -> list[tuple[User, str]]:
    """The expert pool for an application: those whose specialties fit it best first (the people index),
    then the rest of the pool by name; each with the reason shown on the assignment."""
    from fanxing.matching.selectors import people_for  # matching imports the apps' models

    pool = ExpertProfile.objects.filter(user__is_active=True, user__role=Role.EXPERT).select_related("user")
    ordered: list[tuple[User, str]] = []
    seen: set[int] = set()
    for rec in people_for(None, application.achievement, role="expert", top=50) or []:
        if rec.record.user.is_active and rec.record.user_id not in seen:
            ordered.append((rec.record.user, f"专长匹配 {rec.percent}%"))
            seen.add(rec.record.user_id)
    for profile in pool.order_by("user__display_name", "pk"):
        if profile.user_id not in seen:
            ordered.append((profile.user, "专家库"))
            seen.add(profile.user_id)
    return ordered


@transaction.atomic
def assignments_make(*, by: User | None, call: PocCall) -> list[ReviewAssignment]:
    """Give every application under review its `reviewers_per_application` experts from the pool, best fit
    first and the least loaded in this call among equals, never one from the applicant's organisation.
    Refused as a whole, naming the application, when the pool has too few experts free of conflicts."""
    call = PocCall.objects.select_for_update().get(pk=call.pk)
    if by is not None:
        require(permissions.can_manage_poc_call(by, call), "无权分配该征集的评审专家")
    if call.status != CallStatus.REVIEWING:
        raise ValidationError({"status": "征集进入评审阶段后才能分配评审专家"})
    need = call.reviewers_per_application
    load: dict[int, int] = {}
    for row in ReviewAssignment.objects.filter(application__call=call).values_list("reviewer_id", flat=True):
        load[row] = load.get(row, 0) + 1
    made: list[ReviewAssignment] = []
    applications = call.applications.filter(status=App.UNDER_REVIEW).select_related(
        "achievement", "applicant"
    )
    for application in applications:
        have = set(application.assignments.values_list("reviewer_id", flat=True))
        free = [
            (u, why)
            for u, why in ranked_experts(application)
            if u.pk not in have and not is_conflicted(u, application)
        ]
        missing = need - len(have)
        if missing <= 0:
            continue
        if len(free) < missing:
            raise ValidationError(
                {
                    "reviewers_per_application": (
                        f"“{application}”需要 {need} 位评审专家，专家库中与申报单位无利益关系的只有 "
                        f"{len(have) + len(free)} 位；请补充专家或减少每项评审专家数"
                    )
                }
            )
        rank = {u.pk: n for n, (u, _) in enumerate(free)}
        chosen = sorted(free, key=lambda pair: (load.get(pair[0].pk, 0), rank[pair[0].pk]))[:missing]
        for reviewer, why in chosen:
            made.append(
                ReviewAssignment.objects.create(application=application, reviewer=reviewer, reason=why)
            )
            load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
    if made:
        audit(actor=by, action="poc_assign", target=call, changes={"assignments": [None, len(made)]})
    return made


@transaction.atomic
def review_submit(
    *, by: User, assignment: ReviewAssignment, scores: dict[str, Any], comment: str = ""
) -> Review:
    """The assigned expert scores an application on every criterion of the call's rubric. The conflict of
    interest is checked again (an affiliation may have changed since the assignment)."""
    assignment = (
        ReviewAssignment.objects.select_for_update()
        .select_related("application__call", "application__achievement")
        .get(pk=assignment.pk)
    )
    require(permissions.can_review_poc(by, assignment), "只有被分配的评审专家可以评分")
    application = assignment.application
    if is_conflicted(by, application):
        raise ValidationError({"reviewer": f"您与申报单位“{application.applicant}”存在利益关系，须回避评审"})
    if application.call.status != CallStatus.REVIEWING or application.status != App.UNDER_REVIEW:
        raise ValidationError({"status": "该申报当前不在评审中"})
    if hasattr(assignment, "review"):
        raise ValidationError({"scores": "您已提交过该申报的评审意见"})
    try:
        total = application.call.get_rubric().total(scores)
    except review.ReviewError as error:
        raise ValidationError({"scores": str(error)}) from error
    result = Review.objects.create(
        assignment=assignment,
        scores={k: float(v) for k, v in scores.items()},
        total=total,
        comment=comment.strip(),
    )
    audit(actor=by, action="poc_review", target=application, changes={"total": [None, money(total)]})
    return result


@dataclass(frozen=True)
class Result:
    """An application's place in its call (core.review.Ranked) with the application itself."""

    application: PocApplication
    ranked: review.Ranked


def results(*, by: User | None, call: PocCall) -> list[Result]:
    """The applications of a call ranked by normalised score (z-scores per reviewer), with the raw mean,
    the spread and the 争议 flag; those without a review yet come last, unranked."""
    if by is not None:
        require(permissions.can_manage_poc_call(by, call), "只有征集的组织方可以查看评审结果")
    rows = Review.objects.filter(assignment__application__call=call).values_list(
        "assignment__reviewer_id", "assignment__application_id", "total"
    )
    totals = {(reviewer, application): float(total) for reviewer, application, total in rows}
    ranked = review.rank(totals)
    applications = call.applications.select_related("applicant", "achievement").in_bulk(
        [r.entry for r in ranked]
    )
    return [Result(applications[r.entry], r) for r in ranked]


# Funding ----------------------------------------------------------------------------------------------


def remaining_budget(call: PocCall) -> Decimal:
    granted = FundingDecision.objects.filter(application__call=call).aggregate(s=Sum("amount"))["s"]
    return call.budget_total - (granted or Decimal(0))


@transaction.atomic
def funding_decide(
    *,
    by: User | None,
    application: PocApplication,
    amount: Decimal,
    note: str = "",
    decided_on: datetime.date | None = None,
) -> FundingDecision:
    """Fund an application under review: the amount within the call's cap, the amount requested and what
    is left of the call's budget."""
    call = PocCall.objects.select_for_update().get(pk=application.call_id)
    application = PocApplication.objects.select_for_update().get(pk=application.pk)
    if by is not None:
        require(permissions.can_manage_poc_call(by, call), "只有征集的组织方可以作出资助决定")
    if call.status != CallStatus.REVIEWING or application.status != App.UNDER_REVIEW:
        raise ValidationError({"status": f"申报当前为“{application.get_status_display()}”，不能作出资助决定"})
    amount = Decimal(amount)
    remaining = remaining_budget(call)
    if amount <= 0:
        raise ValidationError({"amount": "资助金额必须大于 0 万元"})
    if amount > call.per_project_cap:
        raise ValidationError(
            {
                "amount": f"资助金额（{money(amount)} 万元）超过单项资助上限（{money(call.per_project_cap)} 万元）"
            }
        )
    if amount > application.budget:
        raise ValidationError(
            {"amount": f"资助金额（{money(amount)} 万元）超过申请经费（{money(application.budget)} 万元）"}
        )
    if amount > remaining:
        raise ValidationError(
            {"amount": f"资助金额（{money(amount)} 万元）超过征集剩余预算（{money(remaining)} 万元）"}
        )
    decision = FundingDecision.objects.create(
        application=application,
        amount=amount,
        note=note.strip(),
        decided_on=decided_on or timezone.localdate(),
        decided_by=by,
    )
    application.status = App.FUNDED
    application.save(update_fields=["status"])
    audit(
        actor=by,
        action="poc_fund",
        target=application,
        changes={"amount": [None, money(amount)]},
        reason=note,
    )
    notify(
        users=application_owners(application),
        subject=f"概念验证项目获资助：{application.achievement.title}",
        body=f"“{call}”决定资助 {money(amount)} 万元。请按计划填报项目节点。",
        url=application.get_absolute_url(),
        key=f"poc-funded-{application.pk}",
    )
    return decision


@transaction.atomic
def application_reject(*, by: User | None, application: PocApplication, note: str = "") -> PocApplication:
    """Decide not to fund an application under review."""
    application = PocApplication.objects.select_for_update().select_related("call").get(pk=application.pk)
    if by is not None:
        require(permissions.can_manage_poc_call(by, application.call), "只有征集的组织方可以作出资助决定")
    if application.status != App.UNDER_REVIEW:
        raise ValidationError({"status": f"申报当前为“{application.get_status_display()}”，不能作出决定"})
    application.status = App.REJECTED
    application.save(update_fields=["status"])
    audit(
        actor=by,
        action="poc_reject",
        target=application,
        changes={"status": [App.UNDER_REVIEW, App.REJECTED]},
        reason=note,
    )
    return application


# Milestones and outcomes ------------------------------------------------------------------------------


def funded(application: PocApplication) -> FundingDecision:
    decision = FundingDecision.objects.filter(application=application).first()
    if application.status != App.FUNDED or decision is None:
        raise ValidationError({"application": "只有已获资助的项目才有节点和结果"})
    return decision


@transaction.atomic
def milestone_add(
    *,
    by: User | None,
    application: PocApplication,
    title: str,
    due_on: datetime.date,
    deliverable: str,
    amount: Decimal = Decimal(0),
) -> Milestone:
    """Plan a step of a funded project (the applicant or those who run the call); the tranches add up to
    no more than the amount granted."""
    application = PocApplication.objects.select_for_update().select_related("call").get(pk=application.pk)
    if by is not None:
        require(
            permissions.can_edit_poc_application(by, application)
            or permissions.can_manage_poc_call(by, application.call),
            "只有申报单位或征集的组织方可以设置项目节点",
        )
    decision = funded(application)
    planned = application.milestones.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if planned + Decimal(amount) > decision.amount:
        raise ValidationError(
            {
                "amount": f"各节点拨付金额合计（{money(planned + Decimal(amount))} 万元）超过资助金额（{money(decision.amount)} 万元）"
            }
        )
    milestone = Milestone(
        application=application,
        title=title.strip(),
        due_on=due_on,
        deliverable=deliverable.strip(),
        amount=amount,
    )
    milestone.full_clean()
    milestone.save()
    audit(
        actor=by,
        action="poc_milestone",
        target=application,
        changes={"milestone": [None, f"{due_on} {title}"]},
    )
    return milestone


@transaction.atomic
def milestone_report(
    *,
    by: User | None,
    milestone: Milestone,
    report: str,
    evidence_link: str = "",
    evidence_name: str = "",
    reported_on: datetime.date | None = None,
) -> Milestone:
    """The applicant reports what was done, with a link to or the name of the evidence."""
    milestone = Milestone.objects.select_for_update().select_related("application").get(pk=milestone.pk)
    if by is not None:
        require(
            permissions.can_edit_poc_application(by, milestone.application),
            "只有申报单位可以填报节点完成情况",
        )
    if milestone.accepted:
        raise ValidationError({"report": "该节点已验收，不能再修改"})
    if not report.strip():
        raise ValidationError({"report": "请填写完成情况"})
    if not evidence_link.strip() and not evidence_name.strip():
        raise ValidationError({"evidence_link": "请提供佐证链接或佐证文件名"})
    milestone.report, milestone.evidence_link, milestone.evidence_name = (
        report.strip(),
        evidence_link.strip(),
        evidence_name.strip(),
    )
    milestone.reported_on = reported_on or timezone.localdate()
    milestone.full_clean()
    milestone.save()
    audit(
        actor=by,
        action="poc_milestone_report",
        target=milestone.application,
        changes={"milestone": [None, milestone.title]},
    )
    return milestone


@transaction.atomic
def milestone_accept(*, by: User | None, milestone: Milestone) -> Milestone:
    """Those who run the call accept a reported milestone (验收)."""
    milestone = Milestone.objects.select_for_update().select_related("application__call").get(pk=milestone.pk)
    if by is not None:
        require(
            permissions.can_manage_poc_call(by, milestone.application.call), "只有征集的组织方可以验收节点"
        )
    if milestone.reported_on is None:
        raise ValidationError({"accepted": "节点尚未填报完成情况，不能验收"})
    if milestone.accepted:
        return milestone
    milestone.accepted, milestone.accepted_on = True, timezone.localdate()
    milestone.save(update_fields=["accepted", "accepted_on"])
    audit(
        actor=by,
        action="poc_milestone_accept",
        target=milestone.application,
        changes={"accepted": [False, milestone.title]},
    )
    return milestone


def contract_of_applicant(contract: Any, application: PocApplication) -> bool:
    """Is the applicant the contract's organisation or one of its parties?"""
    return (
        contract.organisation_id == application.applicant_id
        or contract.parties.filter(organisation_id=application.applicant_id).exists()
    )


@transaction.atomic
def outcome_record(
    *,
    by: User | None,
    application: PocApplication,
    status: str,
    contract: Any = None,
    note: str = "",
    date: datetime.date | None = None,
) -> Outcome:
    """What came of a funded project; 已转化 names the technology contract, one of the applicant's."""
    application = PocApplication.objects.select_for_update().select_related("call").get(pk=application.pk)
    if by is not None:
        require(
            permissions.can_edit_poc_application(by, application)
            or permissions.can_manage_poc_call(by, application.call),
            "只有申报单位或征集的组织方可以登记项目结果",
        )
    funded(application)
    if status not in Outcome.Status.values:
        raise ValidationError({"status": f"结果“{status}”不存在"})
    if status == Outcome.Status.CONVERTED:
        if contract is None:
            raise ValidationError({"contract": "已转化的项目须关联技术合同"})
        if not contract_of_applicant(contract, application):
            raise ValidationError({"contract": f"合同“{contract}”不是{application.applicant}的合同"})
    outcome = Outcome.objects.filter(application=application).first() or Outcome(application=application)
    before = {
        "status": outcome.status or None,
        "contract": str(outcome.contract) if outcome.contract_id else None,
    }
    outcome.status = status
    outcome.contract = contract if status == Outcome.Status.CONVERTED else None
    outcome.note = note.strip()
    outcome.date = date or timezone.localdate()
    outcome.full_clean()
    outcome.save()
    after = {"status": status, "contract": str(outcome.contract) if outcome.contract_id else None}
    audit(actor=by, action="poc_outcome", target=application, changes=diff(before, after))
    return outcome


# Reminders --------------------------------------------------------------------------------------------


def application_owners(application: PocApplication) -> list[User]:
    """Who hears about an application: the person who submitted it and the applicant's admins."""
    people = {
        u.pk: u for u in User.objects.filter(organisation_id=application.applicant_id, role=Role.ORG_ADMIN)
    }
    if application.submitted_by_id:
        people.setdefault(application.submitted_by_id, application.submitted_by)
    return list(people.values())


DEADLINE_DAYS = 3
MILESTONE_DAYS = 7


def poc_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Send the day's reminders, each once (by its notice key), and count them:
    - `deadline`: a call closing within 3 days, to the admins of the organisations that applied;
    - `reviews`: a review still to be scored in a call under review, to its expert;
    - `milestones`: a milestone due within 7 days and not yet reported, to the project's owners."""
    today = today or timezone.localdate()
    sent = {"deadline": 0, "reviews": 0, "milestones": 0}
    calls = PocCall.objects.filter(
        status=CallStatus.OPEN, deadline__gte=today, deadline__lte=today + datetime.timedelta(DEADLINE_DAYS)
    )
    for call in calls:
        organisations = call.applications.exclude(status=App.WITHDRAWN).values("applicant_id")
        admins = User.objects.filter(organisation_id__in=organisations, role=Role.ORG_ADMIN)
        sent["deadline"] += len(
            notify(
                users=admins,
                subject=f"概念验证征集即将截止：{call}",
                body=f"“{call}”将于 {call.deadline} 截止申报，请确认本单位的申报材料。",
                url=call.get_absolute_url(),
                key=f"poc-deadline-{call.pk}",
            )
        )
    pending = ReviewAssignment.objects.filter(
        review__isnull=True,
        application__status=App.UNDER_REVIEW,
        application__call__status=CallStatus.REVIEWING,
    ).select_related("reviewer", "application__achievement")
    for assignment in pending:
        sent["reviews"] += len(
            notify(
                users=[assignment.reviewer],
                subject=f"待评审：{assignment.application.achievement.title}",
                body="您有一项概念验证申报待评审，请按评分细则逐项打分。",
                url=reverse("poc:reviews"),
                key=f"poc-review-{assignment.pk}",
            )
        )
    due = Milestone.objects.filter(
        reported_on__isnull=True, due_on__gte=today, due_on__lte=today + datetime.timedelta(MILESTONE_DAYS)
    ).select_related("application__submitted_by")
    for milestone in due:
        sent["milestones"] += len(
            notify(
                users=application_owners(milestone.application),
                subject=f"项目节点即将到期：{milestone.title}",
                body=f"节点“{milestone.title}”计划于 {milestone.due_on} 完成，交付物：{milestone.deliverable}。",
                url=milestone.application.get_absolute_url(),
                key=f"poc-milestone-{milestone.pk}",
            )
        )
    return sent
