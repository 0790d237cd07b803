"""Writes on profiles: a manager or an expert saves their specialties; the bureau also sets levels.

Every save runs in one transaction, validates the model, writes an audit entry with the fields before and
after, and schedules a rebuild of the "people" matching index when the transaction commits.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.models import TechField
from fanxing.core.services import allowed_fields, audit, diff, require, snapshot
from fanxing.managers.models import Certificate, ExpertProfile, ManagerProfile, Profile, TrainingRecord
from fanxing.matching.services import index_schedule_rebuild

P = TypeVar("P", bound=Profile)
MAX_SPECIALTY_FIELDS = 6
MANAGER_FIELDS = ["level", "affiliation", "specialties", "bio"]
EXPERT_FIELDS = ["title", "affiliation", "specialties", "bio"]


def manager_profile_save(
    *, by: User | None, person: User, fields: dict[str, Any], specialty_fields: Sequence[TechField]
) -> ManagerProfile:
    """Create or change a technology manager's profile. Only the bureau changes the level."""
    if by is not None and "level" in fields and not permissions.can_set_manager_level(by):
        current = ManagerProfile.objects.filter(user=person).values_list("level", flat=True).first()
        if fields["level"] != (current or ManagerProfile.Level.JUNIOR):
            raise ValidationError({"level": "技术经理人等级由科技局管理员认定，不能自行修改"})
    return _profile_save(ManagerProfile, MANAGER_FIELDS, by, person, fields, specialty_fields)


def expert_profile_save(
    *, by: User | None, person: User, fields: dict[str, Any], specialty_fields: Sequence[TechField]
) -> ExpertProfile:
    """Create or change an expert's profile in the pool (专家库)."""
    return _profile_save(ExpertProfile, EXPERT_FIELDS, by, person, fields, specialty_fields)


@transaction.atomic
def _profile_save(
    model: type[P],
    names: list[str],
    by: User | None,
    person: User,
    fields: dict[str, Any],
    specialty_fields: Sequence[TechField],
) -> P:
    if by is not None:
        require(permissions.can_edit_profile(by, person), "只能修改自己的专长信息")
    profile = model.objects.select_for_update().filter(user=person).first()
    is_new = profile is None
    if profile is None:
        profile, before = model(user=person), {}
    else:
        before = snapshot(profile, names) | {"specialty_fields": _codes(profile.specialty_fields.all())}
    allowed_fields(fields, names)
    for name, value in fields.items():
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    _check_specialty_fields(specialty_fields)
    profile.full_clean()
    profile.save()
    profile.specialty_fields.set(specialty_fields)
    after = snapshot(profile, names) | {"specialty_fields": _codes(specialty_fields)}
    changes = diff(before, after)
    if is_new or changes:
        audit(actor=by, action="create" if is_new else "update", target=profile, changes=changes)
        index_schedule_rebuild("people")
    return profile


def _check_specialty_fields(specialty_fields: Sequence[TechField]) -> None:
    if not specialty_fields:
        raise ValidationError({"specialty_fields": "请至少选择一个专长领域"})
    if len(specialty_fields) > MAX_SPECIALTY_FIELDS:
        raise ValidationError(
            {"specialty_fields": f"最多选择 {MAX_SPECIALTY_FIELDS} 个专长领域，请保留最擅长的几个"}
        )
    inactive = [f.name for f in specialty_fields if not f.active]
    if inactive:
        raise ValidationError({"specialty_fields": f"技术领域已停用：{'、'.join(inactive)}"})


def _codes(specialty_fields: Any) -> list[str]:
    return sorted(f.code for f in specialty_fields)


CERTIFICATE_FIELDS = ["name", "number", "level", "issuer", "issued_on", "expires_on"]
TRAINING_FIELDS = ["course", "hours", "date", "provider"]


@transaction.atomic
def certificate_add(*, by: User | None, manager: ManagerProfile, fields: dict[str, Any]) -> Certificate:
    """Record a certificate of a technology manager (the bureau); its number must be new."""
    if by is not None:
        require(permissions.can_record_certificate(by), "证书由科技局管理员登记")
    return _add(Certificate, CERTIFICATE_FIELDS, by, manager, fields)


@transaction.atomic
def training_add(*, by: User | None, manager: ManagerProfile, fields: dict[str, Any]) -> TrainingRecord:
    """Record a course a technology manager attended (the bureau, or the manager themselves)."""
    if by is not None:
        require(permissions.can_record_training(by, manager.user), "只能登记自己的培训记录")
    return _add(TrainingRecord, TRAINING_FIELDS, by, manager, fields)


R = TypeVar("R", Certificate, TrainingRecord)


def _add(
    model: type[R], names: list[str], by: User | None, manager: ManagerProfile, fields: dict[str, Any]
) -> R:
    allowed_fields(fields, names, "填写")
    record = model(manager=manager, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()})
    record.full_clean()  # names the field and the reason (a repeated certificate number, hours out of range)
    record.save()
    audit(actor=by, action="create", target=record, changes=diff({}, snapshot(record, list(fields))))
    return record
