"""Organisations, the alliance, the reference data every library shares, and the audit log."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from fanxing.core.validators import validate_uscc


class Region(models.Model):
    """An administrative division (GB/T 2260 code), down to the district or county."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        CITY = 2, "地级"
        DISTRICT = 3, "县级"

    code = models.CharField("区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts, region = [], self
        while region is not None:
            parts.append(region.name)
            region = region.parent
        return "".join(reversed(parts))


class TechField(models.Model):
    """A node of the technical-field taxonomy (技术领域); two levels, editable in the back office."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "技术领域"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class ConversionWay(models.Model):
    """A way of conversion or cooperation (转化方式, 促进科技成果转化法 Art. 16, plus R&D and service)."""

    code = models.SlugField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=30)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "转化方式"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class TrlLevel(models.Model):
    """One of the nine technology readiness levels (GB/T 22900) with its stage word (小试, 中试, ...)."""

    level = models.PositiveSmallIntegerField("等级", unique=True)
    name = models.CharField("含义", max_length=60)
    stage = models.CharField("阶段", max_length=20)

    class Meta:
        verbose_name = verbose_name_plural = "技术就绪水平"
        ordering = ["level"]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1, level__lte=9), name="trl_level_1_9")]

    def __str__(self) -> str:
        return f"TRL {self.level} · {self.name}"


class Organisation(models.Model):
    """A university, institute, enterprise, government body, agency, PoC platform or investor."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "高校"
        INSTITUTE = "institute", "科研院所"
        ENTERPRISE = "enterprise", "企业"
        GOVERNMENT = "government", "政府部门"
        AGENCY = "agency", "服务机构"
        POC = "poc", "概念验证平台"
        INVESTOR = "investor", "投资机构"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=30, blank=True)
    code = models.SlugField(
        "代码",
        max_length=20,
        blank=True,
        help_text="小写字母代码，用于榜单中机构指标的键，例如青岛大学为 qdu；可不填",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    uscc = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text="18位，含校验位；可不填",
    )
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, verbose_name="所在地区")
    address = models.CharField("地址", max_length=200, blank=True)
    website = models.URLField("网址", blank=True)
    description = models.TextField("简介", blank=True)
    verified = models.BooleanField("已认证", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="organisation_uscc_unique"),
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="organisation_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_research(self) -> bool:
        return self.kind in (self.Kind.UNIVERSITY, self.Kind.INSTITUTE)


class AuditEntry(models.Model):
    """Who did what to which record, when, with the fields before and after."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="操作人"
    )
    action = models.CharField("操作", max_length=30)
    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    target_repr = models.CharField("对象", max_length=200)
    changes = models.JSONField("变更", default=dict, blank=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or '系统'} {self.action} {self.target_repr}"


class Job(models.Model):
    """A background job (import, export, ...) with its progress, for the UI to poll."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=40)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == "done" else 0)


class AllianceMember(models.Model):
    """An organisation's membership of the district's 科技成果转化联盟 (technology-transfer alliance)."""

    class Role(models.TextChoices):
        CHAIR = "chair", "理事长单位"
        VICE_CHAIR = "vice_chair", "副理事长单位"
        COUNCIL = "council", "理事单位"
        MEMBER = "member", "成员单位"

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="alliance_membership", verbose_name="机构"
    )
    role = models.CharField("联盟职务", max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField("加入日期")
    left_on = models.DateField("退出日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "科技成果转化联盟成员"
        ordering = ["joined_on", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation}（{self.get_role_display()}）"

    def clean(self) -> None:
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "退出日期不能早于加入日期"})

    def member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class Notice(models.Model):
    """An in-app notice (站内通知) to one person: a deadline coming, an invitation, a decision. Sent with an
    email through Django's email backend by `core.services.notify`; `key` keeps a reminder from being
    sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notices")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=120, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed = models.BooleanField("已发邮件", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="notice_once_per_key")
        ]

    def __str__(self) -> str:
        return self.subject
