"""Writes shared by the libraries: audit entries, workflow moves, organisations.

`by=None` means the platform itself (a CLI command or a job run by an operator): it passes the role
checks and is recorded as 系统 in the audit log.
"""

import logging
import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.jobs import task_start
from fanxing.core.models import AllianceMember, AuditEntry, Notice, Organisation
from fanxing.core.workflow import MOVES, Status
from fanxing.matching.services import index_schedule_rebuild

logger = logging.getLogger(__name__)


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: jsonable(getattr(instance, name)) for name in fields}


def allowed_fields(fields: dict[str, Any], names: list[str], verb: str = "修改") -> None:
    """Refuse a write that names fields outside `names`, naming them ("不能修改这些字段：…")."""
    unknown = set(fields) - set(names)
    if unknown:
        raise ValidationError(f"不能{verb}这些字段：{'、'.join(sorted(unknown))}")


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        target_repr=str(target)[:200],
        changes=changes or {},
        reason=reason,
    )


def ref_candidate(prefix: str) -> str:
    """A record number such as CG2026-7F3A9C1E: the year and eight random hex digits."""
    return f"{prefix}{timezone.localdate():%Y}-{secrets.token_hex(4).upper()}"


def new_ref(prefix: str, model: type[models.Model]) -> str:
    """A record number no record of this model has yet."""
    while True:
        ref = ref_candidate(prefix)
        if not model._default_manager.filter(ref=ref).exists():
            return ref


def summed(rows: Any, field: str) -> Decimal:
    """The sum of a decimal column over a queryset, written the same on every database (PostgreSQL returns
    the column's scale, 40.0000, SQLite 40): trailing zeros dropped; 0 when there are no rows."""
    total = rows.aggregate(s=models.Sum(field))["s"] or Decimal(0)
    return Decimal(format(Decimal(total).normalize(), "f"))


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def record_move(*, record: Any, action: str, by: User | None, reason: str = "") -> Any:
    """Make a workflow move (submit, publish, return, withdraw, expire) on an achievement or demand."""
    move = MOVES.get(action)
    if move is None:
        raise ValidationError(f"未知的操作：{action}")
    record = type(record).objects.select_for_update().get(pk=record.pk)
    if record.status not in move.sources:
        raise ValidationError(f"当前状态为“{record.get_status_display()}”，不能{move.label}")
    if by is not None:
        require(permissions.can_move(by, record, action), f"无权对该记录执行“{move.label}”")
    reason = reason.strip()
    if move.needs_reason and not reason:
        raise ValidationError({"reason": "退回时必须填写原因"})
    before = snapshot(record, ["status", "return_reason"])
    record.status = move.target
    now = timezone.now()
    if move.target == Status.SUBMITTED:
        record.submitted_at = now
    elif move.target == Status.PUBLISHED:
        record.published_at = now
        record.return_reason = ""
    elif move.target == Status.RETURNED:
        record.return_reason = reason
    record.save()
    audit(
        actor=by,
        action=action,
        target=record,
        changes=diff(before, snapshot(record, list(before))),
        reason=reason,
    )
    return record


ORGANISATION_FIELDS = [
    "name",
    "short_name",
    "code",
    "kind",
    "uscc",
    "region",
    "address",
    "website",
    "description",
    "verified",
]


@transaction.atomic
def organisation_save(
    *, by: User | None, fields: dict[str, Any], organisation: Organisation | None = None
) -> Organisation:
    """Create an organisation (bureau admins) or change one (its admins, bureau admins)."""
    if organisation is None:
        if by is not None:
            require(permissions.can_create_organisation(by), "只有科技局管理员可以新建机构")
        organisation, before, action = Organisation(), {}, "create"
    else:
        if by is not None:
            require(permissions.can_edit_organisation(by, organisation), "无权修改该机构信息")
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before, action = snapshot(organisation, ORGANISATION_FIELDS), "update"
    if by is not None and not permissions.is_admin(by):
        fields = {k: v for k, v in fields.items() if k != "verified"}  # only the bureau verifies
    if "uscc" in fields:
        fields["uscc"] = (fields["uscc"] or "").strip().upper()
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    changes = diff(before, snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        audit(actor=by, action=action, target=organisation, changes=changes)
    if Organisation.Kind.ENTERPRISE in (before.get("kind"), organisation.kind) and changes:
        index_schedule_rebuild("organisations")  # enterprises are matched to achievements
    return organisation


@transaction.atomic
def reviewed_record_save(
    *, record: Any, by: User | None, fields: dict[str, Any], ways: list[Any] | None, prefix: str
) -> Any:
    """Create or change an achievement or demand: checks the role, validates, saves, writes the audit entry.

    A published record changed by its owner goes back to review (待审核); bureau admins' changes do not.
    """
    is_new = record.pk is None
    tracked = [f.name for f in type(record)._meta.concrete_fields if f.name not in AUTO_FIELDS]
    if is_new:
        before: dict[str, Any] = {}
        record.created_by = by
    else:
        record = type(record).objects.select_for_update().get(pk=record.pk)
        before = snapshot(record, tracked) | {"ways": sorted(w.code for w in record.ways.all())}
        if by is not None:
            require(permissions.can_edit(by, record), "只能修改本机构的记录")
    for name, value in fields.items():
        setattr(record, name, value)
    if by is not None:
        require(permissions.can_create_for(by, record.organisation_id), "只能为本机构发布或修改记录")
    if not record.ref:
        record.ref = new_ref(prefix, type(record))
    reopened = (
        not is_new and record.status == Status.PUBLISHED and by is not None and not permissions.is_admin(by)
    )
    if reopened:
        record.status, record.submitted_at = Status.SUBMITTED, timezone.now()
    # The check constraints are backstops for rules the fields and clean() already state with messages.
    record.full_clean(validate_constraints=False)
    record.save()
    if ways is not None:
        record.ways.set(ways)
    after = snapshot(record, tracked) | {"ways": sorted(w.code for w in record.ways.all())}
    changes = diff(before, after)
    if is_new or changes:
        audit(
            actor=by,
            action="create" if is_new else "update",
            target=record,
            changes=changes,
            reason="已发布记录被修改，重新进入审核" if reopened else "",
        )
    return record


AUTO_FIELDS = {"id", "created_at", "updated_at", "created_by"}


ALLIANCE_FIELDS = ["role", "joined_on", "left_on"]


@transaction.atomic
def alliance_member_save(
    *, by: User | None, organisation: Organisation, fields: dict[str, Any]
) -> AllianceMember:
    """Admit an organisation to the alliance or change its membership (role, dates): the bureau only."""
    if by is not None:
        require(permissions.can_manage_alliance(by), "联盟成员由科技局管理员维护")
    allowed_fields(fields, ALLIANCE_FIELDS)
    member = AllianceMember.objects.select_for_update().filter(organisation=organisation).first()
    before = {} if member is None else snapshot(member, ALLIANCE_FIELDS)
    member = member or AllianceMember(organisation=organisation)
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save()
    changes = diff(before, snapshot(member, ALLIANCE_FIELDS))
    if changes:
        audit(actor=by, action="update" if before else "create", target=member, changes=changes)
    return member


def notify(*, users: Any, subject: str, body: str = "", url: str = "", key: str = "") -> list[Notice]:
    """Send each user an in-app notice and an email about something that needs them: a deadline, an
    invitation, a decision. The email goes as a background task (`notice_email_send`: on a worker in the
    production profile, so a slow or failing mail server never holds up the request). With a `key`, a
    user who already had that notice is skipped, so reminders can run every day."""
    sent = []
    for user in users:
        if not user.is_active or (key and Notice.objects.filter(user=user, key=key).exists()):
            continue
        notice = Notice.objects.create(
            user=user, subject=subject[:200], body=body, url=url[:300], key=key[:120]
        )
        if user.email:
            task_start(notice_email_send, notice.pk)
        sent.append(notice)
    return sent


def notice_email_send(notice_id: int) -> None:
    """Email a notice to its user (Django's email backend) and mark it emailed; a notice already emailed
    is not sent again (a task run twice). A failed send raises, leaving it not emailed, for a retry."""
    from django.conf import settings
    from django.core.mail import send_mail

    notice = Notice.objects.select_related("user").filter(pk=notice_id, emailed=False).first()
    if notice is None or not notice.user.email:
        return
    link = f"\n\n{settings.FANXING_SITE_URL}{notice.url}" if notice.url else ""
    send_mail(notice.subject, notice.body + link, None, [notice.user.email])
    Notice.objects.filter(pk=notice.pk).update(emailed=True)
