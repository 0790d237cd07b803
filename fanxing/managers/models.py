"""The people matching points to: technology managers (技术经理人) and expert reviewers (评审专家).

A profile belongs to one account of the matching role. Its specialty fields and free-text 专长 are what
matching reads (the "people" library of fanxing.matching). The manager profile is the anchor for what the
brokerage issue adds (certificates, training records and hours, the leads a manager carries): those hang
off `ManagerProfile` by foreign key, so this table keeps only who the person is and what they know.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from fanxing.accounts.models import Role
from fanxing.core.models import TechField


class Profile(models.Model):
    """What a manager's and an expert's profile share: specialty fields, 专长 in words, a short bio."""

    ROLE: str = ""
    DIRECTORY: str = ""  # "managers" or "experts": the directory this profile is listed in

    specialty_fields = models.ManyToManyField(TechField, verbose_name="专长领域", related_name="+")
    specialties = models.TextField(
        "专长",
        max_length=500,
        help_text="擅长的技术方向、服务内容，用顿号或逗号分隔，例如：海洋药物、成药性评价",
    )
    bio = models.TextField("个人简介", max_length=2000, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        if self.user_id and self.user.role != self.ROLE:
            raise ValidationError(
                {
                    "user": f"账号“{self.user}”的角色是{self.user.get_role_display()}，不是{Role(self.ROLE).label}"
                }
            )


class ManagerProfile(Profile):
    """A technology manager: level (T/CASTEM 1007-2022: 初级/中级/高级), where they work, what they know."""

    ROLE = Role.MANAGER
    DIRECTORY = "managers"

    class Level(models.TextChoices):
        JUNIOR = "junior", "初级"
        INTERMEDIATE = "intermediate", "中级"
        SENIOR = "senior", "高级"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="manager_profile",
        verbose_name="账号",
        limit_choices_to={"role": Role.MANAGER},
    )
    level = models.CharField(
        "等级", max_length=12, choices=Level.choices, default=Level.JUNIOR, help_text="由科技局管理员认定"
    )
    affiliation = models.CharField("所在机构", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "技术经理人"
        ordering = ["user__display_name", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("managers:manager", args=[self.pk])


class ExpertProfile(Profile):
    """An expert of the pool (专家库) who reviews achievements and proof-of-concept applications."""

    ROLE = Role.EXPERT
    DIRECTORY = "experts"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="expert_profile",
        verbose_name="账号",
        limit_choices_to={"role": Role.EXPERT},
    )
    title = models.CharField("职称", max_length=30, help_text="例如：教授、研究员、正高级工程师")
    affiliation = models.CharField("工作单位", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "评审专家"
        ordering = ["user__display_name", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("managers:expert", args=[self.pk])


class Certificate(models.Model):
    """A technology manager's certificate (证书), with its number; recorded by the bureau."""

    manager = models.ForeignKey(
        ManagerProfile, models.CASCADE, related_name="certificates", verbose_name="技术经理人"
    )
    name = models.CharField("证书名称", max_length=100, help_text="例如：技术经理人能力评价证书（中级）")
    number = models.CharField("证书编号", max_length=50, unique=True)
    level = models.CharField("等级", max_length=12, choices=ManagerProfile.Level.choices, blank=True)
    issuer = models.CharField("发证机构", max_length=100)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "技术经理人证书"
        ordering = ["-issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    def clean(self) -> None:
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": "有效期不能早于发证日期"})


class TrainingRecord(models.Model):
    """A course a technology manager attended: hours, date, provider (培训记录)."""

    manager = models.ForeignKey(
        ManagerProfile, models.CASCADE, related_name="trainings", verbose_name="技术经理人"
    )
    course = models.CharField("课程", max_length=100)
    hours = models.DecimalField(
        "学时",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("500"))],
    )
    date = models.DateField("培训日期")
    provider = models.CharField("培训机构", max_length=100)

    class Meta:
        verbose_name = verbose_name_plural = "技术经理人培训记录"
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.course}（{self.hours} 学时）"
