"""Funding decisions within the cap and the remaining budget, milestones, outcomes."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import audit, diff, notify, require
from fanxing.poc.models import (
    FundingDecision,
    Milestone,
    Outcome,
    PocApplication,
    PocCall,
)
from fanxing.poc.services.calls import application_owners, money

App = PocApplication.Status
CallStatus = PocCall.Status

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
