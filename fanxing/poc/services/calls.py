"""Writes on platforms, calls and applications: checked, validated with the field named, audited."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import Role, User
from fanxing.core.services import audit, diff, require, snapshot
from fanxing.poc.models import (
    PocApplication,
    PocCall,
    PocPlatform,
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
        if call.funder == PocCall.Funder.DISTRICT and not permissions.is_admin(by):
            raise PermissionDenied("区级专项由科技局设立")
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


def application_owners(application: PocApplication) -> list[User]:
    """Who hears about an application: the person who submitted it and the applicant's admins."""
    people = {
        u.pk: u for u in User.objects.filter(organisation_id=application.applicant_id, role=Role.ORG_ADMIN)
    }
    if application.submitted_by_id:
        people.setdefault(application.submitted_by_id, application.submitted_by)
    return list(people.values())
