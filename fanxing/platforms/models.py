"""The district's innovation platforms (创新平台) by level and type, and the specialised parks (专业化园区) and
industry chains (产业链) they belong to. A proof-of-concept platform of the poc app is one of these too (its
`platform`), so it counts among the platforms at city level and above."""

from django.core.exceptions import ValidationError
from django.db import models

from fanxing.core.models import Organisation, TechField


class PlatformType(models.Model):
    """A kind of platform (全国重点实验室, 国家企业技术中心, 工程技术研究中心, ...): an editable list."""

    name = models.CharField("名称", max_length=40, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "平台类型"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Park(models.Model):
    """A specialised park (专业化园区) of the district."""

    name = models.CharField("名称", max_length=60, unique=True)
    theme = models.CharField("主导产业", max_length=60, blank=True)
    description = models.TextField("简介", blank=True)
    established_year = models.PositiveSmallIntegerField("设立年份", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专业化园区"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class IndustryChain(models.Model):
    """An industry chain (产业链) the district develops."""

    name = models.CharField("名称", max_length=60, unique=True)
    description = models.TextField("简介", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "产业链"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    """A recognised innovation platform: its level, type, host, the year it was recognised and its status."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"
        DISTRICT = "district", "区级"

    class Status(models.TextChoices):
        ACTIVE = "active", "运行中"
        SUSPENDED = "suspended", "暂停"
        REVOKED = "revoked", "已撤销"

    name = models.CharField("平台名称", max_length=120, unique=True)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    kind = models.ForeignKey(PlatformType, models.PROTECT, related_name="platforms", verbose_name="类型")
    host = models.ForeignKey(Organisation, models.PROTECT, related_name="platforms", verbose_name="依托单位")
    fields = models.ManyToManyField(TechField, blank=True, related_name="+", verbose_name="技术领域")
    recognised_year = models.PositiveSmallIntegerField("认定年份")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    revoked_year = models.PositiveSmallIntegerField("撤销年份", null=True, blank=True)
    park = models.ForeignKey(
        Park, models.SET_NULL, null=True, blank=True, related_name="platforms", verbose_name="所在园区"
    )
    chain = models.ForeignKey(
        IndustryChain,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="platforms",
        verbose_name="所属产业链",
    )
    description = models.TextField("简介", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "创新平台"
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="revoked", revoked_year__isnull=False)
                | ~models.Q(status="revoked"),
                name="platform_revoked_has_year",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.recognised_year is not None and not 1950 <= self.recognised_year <= 2100:
            errors["recognised_year"] = "认定年份应为四位年份"
        if self.status == self.Status.REVOKED and not self.revoked_year:
            errors["revoked_year"] = "已撤销的平台须填写撤销年份"
        if self.revoked_year and self.recognised_year and self.revoked_year < self.recognised_year:
            errors["revoked_year"] = "撤销年份不能早于认定年份"
        if errors:
            raise ValidationError(errors)
