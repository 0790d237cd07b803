"""Writes on accounts: enterprise registration, API tokens, confidential-access requests."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.accounts.models import AccessRequest, ApiToken, Role, User
from fanxing.core.models import Organisation
from fanxing.core.services import audit, require


@transaction.atomic
def enterprise_register(
    *, username: str, password: str, display_name: str, phone: str, enterprise_name: str, uscc: str = ""
) -> User:
    """A new enterprise signs up: its organisation (not yet verified by the bureau) and its first user."""
    if Organisation.objects.filter(name=enterprise_name.strip()).exists():
        raise ValidationError({"enterprise_name": "该企业已在平台注册，请联系本企业的平台管理员为您开通账号"})
    organisation = Organisation(
        name=enterprise_name.strip(), kind=Organisation.Kind.ENTERPRISE, uscc=uscc.strip().upper()
    )
    organisation.full_clean()
    organisation.save()
    user = User(
        username=username,
        display_name=display_name,
        phone=phone,
        role=Role.ENTERPRISE,
        organisation=organisation,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit(actor=user, action="register", target=organisation, changes={"name": [None, organisation.name]})
    return user


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the key is returned once and only its digest is kept."""
    key, prefix, digest = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name.strip() or "API", prefix=prefix, digest=digest)
    return token, key


def api_token_revoke(*, user: User, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id).delete()


@transaction.atomic
def access_request_create(*, by: User, record: Any, message: str = "") -> AccessRequest:
    """Ask the owner of a record to see its confidential fields (contacts, price, confidential details)."""
    require(permissions.can_request_access(by, record), "无需申请或无权申请查看该记录的保密信息")
    request, created = AccessRequest.objects.get_or_create(
        requester=by,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        defaults={"message": message.strip()[:300]},
    )
    if not created:
        if request.status == AccessRequest.Status.PENDING:
            raise ValidationError("您已提交过申请，请等待对方处理")
        request.status, request.message, request.decided_at = (
            AccessRequest.Status.PENDING,
            message[:300],
            None,
        )
        request.save()
    audit(actor=by, action="access_request", target=record, reason=message[:300])
    return request


@transaction.atomic
def access_request_decide(*, by: User, access_request: AccessRequest, grant: bool) -> AccessRequest:
    """The owner (or a bureau admin) grants or refuses a request to see confidential fields."""
    access_request = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    record = access_request.target
    require(permissions.can_decide_access(by, record), "只有记录所属机构可以处理该申请")
    before = access_request.status
    access_request.status = AccessRequest.Status.GRANTED if grant else AccessRequest.Status.REFUSED
    access_request.decided_by, access_request.decided_at = by, timezone.now()
    access_request.save()
    audit(
        actor=by,
        action="access_grant" if grant else "access_refuse",
        target=record,
        changes={
            "access": [before, access_request.status],
            "requester": [None, str(access_request.requester)],
        },
    )
    return access_request


MEMBER_ROLES = (Role.ORG_ADMIN, Role.ORG_STAFF, Role.ENTERPRISE)


@transaction.atomic
def member_create(
    *, by: User | None, organisation: Organisation, username: str, display_name: str, role: str, password: str
) -> User:
    """An organisation admin opens an account for a colleague of the same organisation."""
    if by is not None:
        require(permissions.can_manage_members(by, organisation.pk), "只有本机构管理员可以开通账号")
    if role not in MEMBER_ROLES:
        raise ValidationError({"role": "机构账号的角色只能是机构管理员、机构工作人员或企业用户"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用"})
    user = User(username=username, display_name=display_name, role=role, organisation=organisation)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit(
        actor=by,
        action="member_create",
        target=organisation,
        changes={"member": [None, username], "role": [None, role]},
    )
    return user


@transaction.atomic
def member_set_active(*, by: User | None, member: User, active: bool) -> User:
    """Disable or re-enable a colleague's account (never one's own)."""
    if by is not None:
        require(permissions.can_manage_members(by, member.organisation_id), "只有本机构管理员可以停用账号")
        if by.pk == member.pk:
            raise ValidationError("不能停用自己的账号")
    member.is_active = active
    member.save(update_fields=["is_active"])
    audit(
        actor=by,
        action="member_enable" if active else "member_disable",
        target=member.organisation,
        changes={"member": [member.username, member.username], "is_active": [not active, active]},
    )
    return member
