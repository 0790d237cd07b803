"""Writes of the platform register: platforms, parks and industry chains.

Each one atomic, checked through `fanxing.accounts.permissions` (`by=None` is the platform itself: the
CLI, an import, the demo), validated with `full_clean()` (a ValidationError keyed by the field at fault,
its message in Chinese) and audited with `fanxing.core.services.audit`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fanxing.accounts import permissions
from fanxing.accounts.models import User
from fanxing.core.services import allowed_fields, audit, diff, require, snapshot
from fanxing.platforms.models import IndustryChain, Park, Platform

PLATFORM_FIELDS = [
    "name",
    "level",
    "kind",
    "host",
    "recognised_year",
    "status",
    "revoked_year",
    "park",
    "chain",
    "description",
]
PARK_FIELDS = ["name", "theme", "established_year", "description"]
CHAIN_FIELDS = ["name", "description"]


def field_labels(names: Any) -> str:
    """The Chinese names of a platform's fields, e.g. "级别、状态"."""
    meta = Platform._meta
    return "、".join(
        str(meta.get_field(n).verbose_name) for n in sorted(names) if n in PLATFORM_FIELDS + ["fields"]
    )


def check_platform_access(by: User | None, platform: Platform | None, fields: dict[str, Any]) -> None:
    """The bureau changes anything; the host's office only PLATFORM_OFFICE_FIELDS of its own platforms."""
    if by is None:
        return
    require(
        permissions.can_edit_platform(by, platform),
        "只有科技局管理员可以登记创新平台；依托单位只能修改本单位平台的简介和技术领域",
    )
    editable = permissions.platform_editable_fields(by, platform)
    if editable is not None:
        barred = set(fields) - set(editable)
        if barred:
            raise PermissionDenied(f"依托单位只能修改平台的简介和技术领域，不能修改：{field_labels(barred)}")


def check_revocation(platform: Platform) -> None:
    """A revoked platform has its year (the model says so too); a year of revocation means it is revoked."""
    if platform.revoked_year and platform.status != Platform.Status.REVOKED:
        raise ValidationError({"status": "填写了撤销年份的平台，状态应为“已撤销”"})


@transaction.atomic
def platform_save(*, by: User | None, fields: dict[str, Any], platform: Platform | None = None) -> Platform:
    """Record a platform or change one. `fields` are model fields and `fields` (技术领域, a list)."""
    allowed_fields(fields, [*PLATFORM_FIELDS, "fields"])
    check_platform_access(by, platform, fields)
    is_new = platform is None
    record = Platform() if platform is None else Platform.objects.select_for_update().get(pk=platform.pk)
    before = {} if is_new else snapshot(record, PLATFORM_FIELDS)
    before_fields = [] if is_new else sorted(f.code for f in record.fields.all())
    for name, value in fields.items():
        if name != "fields":
            setattr(record, name, value)
    record.full_clean()
    check_revocation(record)
    record.save()
    changes = diff(before, snapshot(record, PLATFORM_FIELDS))
    if "fields" in fields:
        record.fields.set(fields["fields"] or [])
        after_fields = sorted(f.code for f in fields["fields"] or [])
        if after_fields != before_fields:
            changes["fields"] = [before_fields, after_fields]
    if is_new or changes:
        audit(actor=by, action="create" if is_new else "update", target=record, changes=changes)
    return record


def _save_named(
    *,
    by: User | None,
    model: type[Park] | type[IndustryChain],
    names: list[str],
    fields: dict[str, Any],
    record: Any,
) -> Any:
    if by is not None:
        require(permissions.can_edit_parks(by), "只有科技局管理员可以维护专业化园区和产业链")
    allowed_fields(fields, names)
    is_new = record is None
    record = model() if record is None else model.objects.select_for_update().get(pk=record.pk)
    before = {} if is_new else snapshot(record, names)
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    changes = diff(before, snapshot(record, names))
    if is_new or changes:
        audit(actor=by, action="create" if is_new else "update", target=record, changes=changes)
    return record


@transaction.atomic
def park_save(*, by: User | None, fields: dict[str, Any], park: Park | None = None) -> Park:
    """Record or change a specialised park (the bureau)."""
    return _save_named(by=by, model=Park, names=PARK_FIELDS, fields=fields, record=park)


@transaction.atomic
def chain_save(
    *, by: User | None, fields: dict[str, Any], chain: IndustryChain | None = None
) -> IndustryChain:
    """Record or change an industry chain (the bureau)."""
    return _save_named(by=by, model=IndustryChain, names=CHAIN_FIELDS, fields=fields, record=chain)
