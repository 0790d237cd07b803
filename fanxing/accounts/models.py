"""Users with their role and organisation, API tokens, and requests to see confidential fields."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", "科技局管理员"
    ORG_ADMIN = "org_admin", "机构管理员"
    ORG_STAFF = "org_staff", "机构工作人员"
    MANAGER = "manager", "技术经理人"
    EXPERT = "expert", "评审专家"
    ENTERPRISE = "enterprise", "企业用户"


class User(AbstractUser):
    """A person who signs in. The role says what they may do; the organisation, for whom."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    organisation = models.ForeignKey(
        "core.Organisation",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name="所属机构",
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["bureau_admin", "manager", "expert"]) | Q(organisation__isnull=False),
                name="user_org_roles_have_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_bureau_admin(self) -> bool:
        return self.is_active and (self.role == Role.BUREAU_ADMIN or self.is_superuser)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def find(self, key: str) -> "ApiToken | None":
        return self.select_related("user", "user__organisation").filter(digest=_digest(key)).first()


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=50)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> tuple[str, str, str]:
        """A fresh key with its prefix and digest."""
        key = "fx_" + secrets.token_urlsafe(30)
        return key, key[:8], _digest(key)


class AccessRequest(models.Model):
    """A user asks the owner of a record to see its confidential fields; the owner grants or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", "待处理"
        GRANTED = "granted", "已同意"
        REFUSED = "refused", "已拒绝"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="access_requests")
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    message = models.CharField("申请说明", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "保密信息查看申请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "content_type", "object_id"], name="access_request_once_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.content_type.model}#{self.object_id} ({self.get_status_display()})"
