"""Scientific achievements (科技成果), their patents and team, and the rights granted in them (赋权)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fanxing.core.models import ConversionWay, TechField
from fanxing.core.validators import validate_amounts, validate_patent_number
from fanxing.core.workflow import ReviewedRecord


class Achievement(ReviewedRecord):
    """A result of research offered for conversion: what it is, how mature, on what terms."""

    title = models.CharField("成果名称", max_length=200)
    summary = models.TextField("成果简介", max_length=1000)
    description = models.TextField("详细介绍", blank=True)
    field = models.ForeignKey(TechField, models.PROTECT, verbose_name="技术领域")
    trl = models.PositiveSmallIntegerField(
        "技术就绪水平", validators=[MinValueValidator(1), MaxValueValidator(9)], help_text="TRL 1–9"
    )
    ways = models.ManyToManyField(ConversionWay, verbose_name="转化方式", related_name="achievements")
    price_negotiable = models.BooleanField("价格面议", default=False)
    price_min = models.DecimalField(
        "意向价格下限（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_max = models.DecimalField(
        "意向价格上限（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )

    CONFIDENTIAL_FIELDS = (*ReviewedRecord.CONFIDENTIAL_FIELDS, "price_negotiable", "price_min", "price_max")

    class Meta:
        verbose_name = verbose_name_plural = "科技成果"
        ordering = ["-published_at", "-id"]
        indexes = [
            # One index serves the public list: counting and paging in published order while the filters
            # (TRL, field, organisation) are checked inside the index, without reading rows.
            models.Index(
                fields=["status", "visibility", "-published_at", "-id", "trl", "field", "organisation"],
                name="achievement_listing",
            ),
            models.Index(fields=["organisation", "status"], name="achievement_org_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="achievement_trl_1_9"),
            models.CheckConstraint(
                condition=Q(price_negotiable=True, price_min__isnull=True, price_max__isnull=True)
                | Q(price_negotiable=False, price_min__isnull=True, price_max__isnull=True)
                | Q(
                    price_negotiable=False,
                    price_min__isnull=False,
                    price_max__isnull=False,
                    price_min__lte=models.F("price_max"),
                    price_min__gte=0,
                ),
                name="achievement_price_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        validate_amounts(self.price_negotiable, self.price_min, self.price_max, prefix="price", label="价格")

    def get_absolute_url(self) -> str:
        return reverse("achievements:detail", args=[self.pk])

    @property
    def price_label(self) -> str:
        return price_label(self.price_negotiable, self.price_min, self.price_max)


def price_label(negotiable: bool, low: Decimal | None, high: Decimal | None) -> str:
    """ "面议", "80 万元" or "50–120 万元"."""
    if negotiable:
        return "面议"
    if low is None:
        return "未填写"
    if low == high:
        return f"{low.normalize():f} 万元"
    return (
        f"{low.normalize():f}–{high.normalize():f} 万元"
        if high is not None
        else f"{low.normalize():f} 万元起"
    )


class Patent(models.Model):
    """A Chinese patent that protects an achievement; the number is checked with its check character."""

    class Kind(models.TextChoices):
        INVENTION = "invention", "发明专利"
        UTILITY = "utility", "实用新型"
        DESIGN = "design", "外观设计"

    class LegalStatus(models.TextChoices):
        PENDING = "pending", "审查中"
        GRANTED = "granted", "有效"
        LAPSED = "lapsed", "失效"

    achievement = models.ForeignKey(Achievement, models.CASCADE, related_name="patents")
    number = models.CharField("专利号", max_length=20, validators=[validate_patent_number])
    title = models.CharField("专利名称", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    legal_status = models.CharField("法律状态", max_length=10, choices=LegalStatus.choices)

    class Meta:
        verbose_name = verbose_name_plural = "专利"
        constraints = [
            models.UniqueConstraint(fields=["achievement", "number"], name="patent_once_per_achievement")
        ]

    def __str__(self) -> str:
        return self.number


class TeamMember(models.Model):
    """A person of the team behind an achievement."""

    achievement = models.ForeignKey(Achievement, models.CASCADE, related_name="team")
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职称", max_length=30, blank=True)
    is_lead = models.BooleanField("负责人", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "团队成员"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class RightsGrant(models.Model):
    """A grant of rights in a service achievement to the researchers who made it (赋权): ownership or
    long-term use, a share, a date. The grants of a university's or institute's achievements make up the
    rights history of its ledger of service achievements (单列管理)."""

    class Kind(models.TextChoices):
        OWNERSHIP = "ownership", "所有权"
        LONG_TERM_USE = "use", "长期使用权"

    achievement = models.ForeignKey(
        Achievement, models.CASCADE, related_name="rights_grants", verbose_name="科技成果"
    )
    kind = models.CharField("赋权方式", max_length=10, choices=Kind.choices)
    grantees = models.CharField("受让科研人员", max_length=200, help_text="姓名，多人用顿号分隔")
    share = models.DecimalField(
        "份额（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    granted_on = models.DateField("赋权日期")
    term_years = models.PositiveSmallIntegerField(
        "使用期限（年）", null=True, blank=True, help_text="长期使用权填写；所有权不填"
    )
    document_no = models.CharField("批准文号", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "职务科技成果赋权记录"
        ordering = ["granted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.achievement} · {self.get_kind_display()} {self.share}%"

    def clean(self) -> None:
        if self.kind == self.Kind.OWNERSHIP and self.term_years:
            raise ValidationError({"term_years": "所有权赋权没有使用期限"})
        if self.kind == self.Kind.LONG_TERM_USE and not self.term_years:
            raise ValidationError({"term_years": "长期使用权请填写使用期限（年）"})
