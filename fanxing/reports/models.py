"""Indicators, the values entered for them, targets, expert comments and the yearly leaderboard.

The governance loop of the bureau: targets per indicator and year (决策), expert comments on targets and
results (咨询), the values as they come in (执行: computed from the records, or entered with their source),
and the evaluation of each target (评估, `fanxing.reports.evaluation`)."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from fanxing.core.models import Organisation

CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")  # stats.gdp, contracts.transfer_license.amount


class Indicator(models.Model):
    """A figure the bureau follows. Computed ones name a formula of `fanxing.reports.formulas` (kept in step
    with the code by `indicators_sync`); entered ones take values with their source; a ratio divides one
    indicator by another (times `factor`); a growth is the year-on-year change of another indicator."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", "由平台记录计算"
        ENTERED = "entered", "填报"
        RATIO = "ratio", "比值"
        GROWTH = "growth", "同比增长"

    code = models.CharField(
        "代码", max_length=60, unique=True, help_text="小写字母、数字、点和下划线，例如 stats.gdp"
    )
    name = models.CharField("名称", max_length=100)
    unit = models.CharField("单位", max_length=20, blank=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    group = models.CharField("分组", max_length=30, blank=True)
    formula = models.CharField("计算公式", max_length=60, blank=True)
    numerator = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="分子"
    )
    denominator = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="分母"
    )
    factor = models.DecimalField(
        "系数", max_digits=14, decimal_places=4, default=1, help_text="比值乘以该系数，例如百分比填 100"
    )
    decimals = models.PositiveSmallIntegerField("小数位数", default=0)
    description = models.TextField("说明", blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "指标"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        from fanxing.reports.formulas import BY_CODE

        errors = {}
        if self.code and not CODE.fullmatch(self.code):
            errors["code"] = "代码应为小写字母、数字和下划线，以点分为至少两段，例如 stats.gdp"
        if self.kind == self.Kind.COMPUTED and self.formula and self.formula not in BY_CODE:
            errors["formula"] = f"没有名为“{self.formula}”的计算公式"
        if self.kind == self.Kind.RATIO and not (self.numerator_id and self.denominator_id):
            errors["denominator"] = "比值指标须选择分子和分母"
        if self.kind == self.Kind.GROWTH and not self.numerator_id:
            errors["numerator"] = "同比增长指标须选择所依据的指标（分子）"
        if self.kind == self.Kind.COMPUTED and not self.formula:
            errors["formula"] = "计算指标须有计算公式"
        if errors:
            raise ValidationError(errors)


class IndicatorValue(models.Model):
    """A value entered for an indicator and year (the district's when `organisation` is empty), as known on
    `as_of`: a statistic arrives during the year, the latest one before the period's end counts."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values", verbose_name="指标")
    year = models.PositiveSmallIntegerField("年度")
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="机构"
    )
    as_of = models.DateField("数据截至")
    value = models.DecimalField("数值", max_digits=18, decimal_places=4)
    source = models.CharField("来源", max_length=200)
    note = models.TextField("备注", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="填报人",
    )
    entered_at = models.DateTimeField("填报时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "指标填报值"
        ordering = ["indicator", "year", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "organisation", "as_of"], name="indicator_value_unique"
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "as_of"],
                condition=Q(organisation__isnull=True),
                name="indicator_value_district_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}：{self.value}"


class Target(models.Model):
    """What the bureau sets out to reach for an indicator in a year (决策)."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", "不低于"
        AT_MOST = "at_most", "不高于"

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets", verbose_name="指标")
    year = models.PositiveSmallIntegerField("年度")
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="机构"
    )
    value = models.DecimalField("目标值", max_digits=18, decimal_places=4)
    direction = models.CharField("方向", max_length=10, choices=Direction.choices, default=Direction.AT_LEAST)
    tolerance = models.DecimalField(
        "预警容差（%）",
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text="年内进度低于按时间推算应达值的该百分比时记为“有风险”",
    )
    note = models.TextField("说明", blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="设定人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "目标"
        ordering = ["year", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "organisation"], name="target_unique"),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(organisation__isnull=True),
                name="target_district_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator.name} {self.get_direction_display()} {self.value}"


class Comment(models.Model):
    """An expert's or the bureau's comment on an indicator's target or result of a year (咨询)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="comments", verbose_name="指标")
    year = models.PositiveSmallIntegerField("年度")
    target = models.ForeignKey(
        Target, models.SET_NULL, null=True, blank=True, related_name="comments", verbose_name="目标"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="作者"
    )
    text = models.TextField("意见")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家意见"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.author}：{self.text[:20]}"


class Leaderboard(models.Model):
    """A year's leaderboard (成果榜单): the period its figures cover (from 1 January to `ends_on`; the
    bureau announces it in December, with figures 截至 11 月) and whether it is published on the portal.
    Publishing keeps the figures as they were then (`snapshot`): what was announced does not move when a
    record changes later; publishing again takes the figures anew."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    ends_on = models.DateField("统计截至")
    title = models.CharField("标题", max_length=100, blank=True)
    summary = models.TextField("导语", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    snapshot = models.JSONField(
        "发布时的榜单",
        null=True,
        blank=True,
        editable=False,
        help_text="发布时计算的榜单，门户和下载按它显示，之后记录的变动不改变已发布的数字",
    )

    class Meta:
        verbose_name = verbose_name_plural = "成果榜单"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title or f"{self.year}年度科技成果榜单"

    def clean(self) -> None:
        if self.ends_on and self.year and self.ends_on.year != self.year:
            raise ValidationError({"ends_on": f"统计截至日期应在 {self.year} 年内"})

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)
