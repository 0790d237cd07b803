"""Writes on leads (对接线索): created from a match, an event meeting or by hand; assigned to a technology
manager by specialty and load (or by an admin); moved through their stages with an activity log. Each one
atomic, checked, audited."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import Role, User
from fanxing.core.services import audit, require
from fanxing.deals.models import OPEN_STAGES, Lead, LeadActivity

Stage = Lead.Stage
# The forward order of the open stages; 已签约 follows 洽谈中, and any open lead may end in 已终止.
ORDER = {Stage.NEW: 0, Stage.CONTACTED: 1, Stage.NEGOTIATING: 2, Stage.SIGNED: 3}

# Assignment: the managers whose specialties fit the record best (the people index), then the least loaded
# of those whose fit is within SPECIALTY_MARGIN of the best one; ties go to the better fit.
ASSIGN_CANDIDATES = 5
SPECIALTY_MARGIN = 0.15


@dataclass(frozen=True)
class Assignment:
    """Who gets a lead and why, in words the lead's page shows."""

    manager: User | None
    reason: str


def open_loads(user_ids: list[int]) -> dict[int, int]:
    """Open leads (新建, 已联系, 洽谈中) per manager."""
    rows = (
        Lead.objects.filter(manager_id__in=user_ids, stage__in=OPEN_STAGES)
        .values("manager_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["manager_id"]: row["n"] for row in rows}


def assignment_for(record: Any) -> Assignment:
    """The manager for a lead about this achievement or demand: by specialty, then by current load."""
    from fanxing.matching.selectors import rank_people  # matching's views import this module

    ranked = rank_people(record, "managers", ASSIGN_CANDIDATES) or []
    if not ranked:
        return Assignment(None, "暂无专长相符的技术经理人，待管理员分配")
    best = ranked[0].score
    close = [r for r in ranked if r.score >= best - SPECIALTY_MARGIN]
    loads = open_loads([r.record.user_id for r in close])
    chosen = min(close, key=lambda r: (loads.get(r.record.user_id, 0), -r.score))
    load = loads.get(chosen.record.user_id, 0)
    reason = f"专长匹配 {chosen.percent}%（{chosen.fit_reason}），在办线索 {load} 条"
    if len(close) > 1:
        reason += f"；专长相近的 {len(close)} 人中在办最少"
    return Assignment(chosen.record.user, reason)


def check_manager(manager: Any) -> None:
    if manager is None or manager.role != Role.MANAGER or not manager.is_active:
        raise ValidationError({"manager": "请选择一位在册的技术经理人"})


@transaction.atomic
def lead_create(
    *,
    by: User | None,
    demand: Any = None,
    achievement: Any = None,
    manager: User | None = None,
    source: str = Lead.Source.MATCH,
    note: str = "",
    score: float | None = None,
) -> Lead:
    """Open a lead on a demand and/or an achievement. Without a manager it is assigned by specialty and
    load (`assignment_for`); a manager creating a lead by hand without naming one follows it up themself.
    An open lead on the same pair is not opened twice."""
    if demand is None and achievement is None:
        raise ValidationError({"demand": "线索须关联一项需求或一项成果"})
    if source not in Lead.Source.values:
        raise ValidationError({"source": f"线索来源“{source}”不存在"})
    if by is not None:
        require(
            permissions.can_create_lead(by, demand, achievement),
            "只有需求或成果的所属机构、技术经理人或科技局管理员可以创建线索",
        )
    same = Lead.objects.filter(demand=demand, achievement=achievement, stage__in=OPEN_STAGES).first()
    if same is not None:
        raise ValidationError(
            {"demand": f"该需求与成果已有进行中的线索（编号 {same.pk}，{same.manager or '待分配'}）"}
        )
    if manager is not None:
        check_manager(manager)
        assignment = Assignment(manager, "由创建人指定")
    elif by is not None and permissions.is_active_manager(by) and source == Lead.Source.MANUAL:
        assignment = Assignment(by, "技术经理人自行创建")
    else:
        assignment = assignment_for(achievement or demand)
    lead = Lead.objects.create(
        demand=demand,
        achievement=achievement,
        manager=assignment.manager,
        assignment=assignment.reason[:200],
        source=source,
        note=note.strip()[:2000],
        score=score,
        created_by=by,
    )
    audit(
        actor=by,
        action="lead_create",
        target=lead,
        changes={"manager": [None, str(assignment.manager or "待分配")], "stage": [None, lead.stage]},
        reason=assignment.reason[:200],
    )
    return lead


def locked(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


@transaction.atomic
def lead_assign(*, by: User | None, lead: Lead, manager: User, reason: str = "") -> Lead:
    """An admin (re)assigns a lead to a manager, overriding the automatic choice."""
    if by is not None:
        require(permissions.can_assign_lead(by), "只有科技局管理员可以改派线索")
    lead = locked(lead)
    check_manager(manager)
    if not lead.is_open:
        raise ValidationError({"manager": f"线索已{lead.get_stage_display()}，不能改派"})
    if lead.manager_id == manager.pk:
        return lead
    before = str(lead.manager or "待分配")
    lead.manager = manager
    lead.assignment = (f"管理员指定：{reason.strip()}" if reason.strip() else "管理员指定")[:200]
    lead.last_activity_at = timezone.now()
    lead.save(update_fields=["manager", "assignment", "last_activity_at"])
    audit(
        actor=by,
        action="lead_assign",
        target=lead,
        changes={"manager": [before, str(manager)]},
        reason=reason,
    )
    return lead


def signed_contract_of(lead: Lead) -> Any:
    return lead.contracts.filter(signed_on__isnull=False).order_by("signed_on").first()


def check_move(lead: Lead, stage: str, reason: str) -> None:
    """Raise a ValidationError naming why this lead cannot move to this stage."""
    if stage not in Stage.values:
        raise ValidationError({"stage": f"阶段“{stage}”不存在"})
    if not lead.is_open:
        raise ValidationError({"stage": f"线索已{lead.get_stage_display()}，不能再变更阶段"})
    if stage == Stage.CLOSED:
        if reason not in Lead.CloseReason.values:
            allowed = "、".join(str(label) for label in Lead.CloseReason.labels)
            raise ValidationError({"close_reason": f"终止线索须选择原因：{allowed}"})
        return
    if ORDER[Stage(stage)] <= ORDER[Stage(lead.stage)]:
        raise ValidationError(
            {"stage": f"线索只能向前推进：当前为“{lead.get_stage_display()}”，不能改为“{Stage(stage).label}”"}
        )
    if stage == Stage.SIGNED and signed_contract_of(lead) is None:
        raise ValidationError({"stage": "标记为已签约前，须先登记与该线索关联、已填写签订日期的技术合同"})


@transaction.atomic
def lead_move(*, by: User | None, lead: Lead, stage: str, close_reason: str = "", note: str = "") -> Lead:
    """Move a lead forward (新建 → 已联系 → 洽谈中 → 已签约, steps may be skipped) or end it (已终止, with a
    reason from Lead.CloseReason). 已签约 needs a signed contract linked to the lead."""
    lead = locked(lead)
    if by is not None:
        require(permissions.can_work_lead(by, lead), "只有负责该线索的技术经理人或科技局管理员可以变更阶段")
    check_move(lead, stage, close_reason)
    before = {"stage": lead.stage, "close_reason": lead.close_reason}
    lead.stage = stage
    lead.close_reason = close_reason if stage == Stage.CLOSED else ""
    lead.last_activity_at = timezone.now()
    lead.save(update_fields=["stage", "close_reason", "last_activity_at"])
    changes = {"stage": [before["stage"], stage]}
    if lead.close_reason:
        changes["close_reason"] = [before["close_reason"], lead.close_reason]
    audit(actor=by, action="lead_move", target=lead, changes=changes, reason=note.strip()[:200])
    return lead


@transaction.atomic
def lead_activity_add(
    *, by: User | None, lead: Lead, kind: str, happened_on: datetime.date, note: str
) -> LeadActivity:
    """Log a call, visit, meeting or note on a lead; its date counts as the lead's latest activity."""
    lead = locked(lead)
    if by is not None:
        require(permissions.can_work_lead(by, lead), "只有负责该线索的技术经理人或科技局管理员可以记录跟进")
    if lead.stage == Stage.CLOSED:
        raise ValidationError({"kind": "线索已终止，不能再记录跟进"})
    today = timezone.localdate()
    if happened_on > today:
        raise ValidationError({"happened_on": f"跟进日期（{happened_on}）不能晚于今天（{today}）"})
    created = timezone.localtime(lead.created_at).date()
    if happened_on < created:
        raise ValidationError({"happened_on": f"跟进日期（{happened_on}）不能早于线索创建日期（{created}）"})
    activity = LeadActivity(lead=lead, kind=kind, happened_on=happened_on, note=note.strip(), by=by)
    activity.full_clean()
    activity.save()
    moment = timezone.make_aware(datetime.datetime.combine(happened_on, datetime.time(12)))
    if moment > lead.last_activity_at:
        Lead.objects.filter(pk=lead.pk).update(last_activity_at=min(moment, timezone.now()))
    audit(
        actor=by,
        action="lead_activity",
        target=lead,
        changes={"activity": [None, f"{happened_on} {activity.get_kind_display()}"]},
        reason=activity.note[:200],
    )
    return activity
