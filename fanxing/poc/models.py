"""Proof of concept (概念验证): recognised platforms, funding calls (a platform's, a university president's
fund 校长基金, a district programme), applications on an achievement, expert review free of conflicts of
interest, funding decisions within the call's budget, milestones and what came of each project.

The review arithmetic (rubric totals, conflicts, normalised rankings) is `fanxing.core.review`; the writes
are `fanxing.poc.services`, the reads `fanxing.poc.selectors`. Amounts are in 万元.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fanxing.core import review
from fanxing.core.models import Organisation, TechField

POSITIVE = [MinValueValidator(Decimal("0.01"))]


def default_rubric() -> list[dict]:
    return [dict(c) for c in review.DEFAULT_RUBRIC]


class PocPlatform(models.Model):
    """A recognised proof-of-concept platform or centre (概念验证平台/中心): who hosts it, what it offers."""

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", "省级"
        MUNICIPAL = "municipal", "市级"

    class Status(models.TextChoices):
        ACTIVE = "active", "运行中"
        SUSPENDED = "suspended", "暂停"
        REVOKED = "revoked", "已撤销"

    name = models.CharField("平台名称", max_length=100, unique=True)
    level = models.CharField("级别", max_length=12, choices=Level.choices)
    host = models.ForeignKey(
        Organisation, models.PROTECT, related_name="poc_platforms", verbose_name="依托单位"
    )
    fields = models.ManyToManyField(TechField, blank=True, related_name="+", verbose_name="服务领域")
    services = models.TextField(
        "服务内容", blank=True, help_text="例如：样机试制、中试验证、检测分析、市场评估"
    )
    recognised_year = models.PositiveSmallIntegerField("认定年份")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    platform = models.OneToOneField(
        "platforms.Platform",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="poc",
        verbose_name="创新平台登记",
        help_text="它在创新平台名录中的记录（类型为概念验证平台）",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "概念验证平台"
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.recognised_year is not None and not 2000 <= self.recognised_year <= 2100:
            raise ValidationError({"recognised_year": "认定年份应为四位年份"})


class PocCall(models.Model):
    """A call for proof-of-concept projects (概念验证项目申报) with its budget, cap, deadline and rubric.

    Status: 草稿 → 申报中 → 评审中 → 已决定. A president's fund (校长基金) takes applications from its host
    organisation only; a platform's call is hosted by the platform's organisation.
    """

    class Funder(models.TextChoices):
        PLATFORM = "platform", "概念验证平台"
        PRESIDENT = "president", "校长基金"
        DISTRICT = "district", "区级专项"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        OPEN = "open", "申报中"
        REVIEWING = "reviewing", "评审中"
        DECIDED = "decided", "已决定"

    title = models.CharField("名称", max_length=200)
    funder = models.CharField("资金来源", max_length=12, choices=Funder.choices)
    platform = models.ForeignKey(
        PocPlatform, models.PROTECT, null=True, blank=True, related_name="calls", verbose_name="平台"
    )
    host = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="poc_calls",
        verbose_name="组织单位",
        help_text="校长基金为设立基金的高校；平台征集为平台依托单位；区级专项可不填",
    )
    description = models.TextField("说明", blank=True)
    budget_total = models.DecimalField("总预算（万元）", max_digits=10, decimal_places=2, validators=POSITIVE)
    per_project_cap = models.DecimalField(
        "单项资助上限（万元）", max_digits=10, decimal_places=2, validators=POSITIVE
    )
    opens_on = models.DateField("开始日期")
    deadline = models.DateField("截止日期")
    fields = models.ManyToManyField(TechField, blank=True, related_name="+", verbose_name="支持领域")
    rubric = models.JSONField("评分细则", default=default_rubric)
    reviewers_per_application = models.PositiveSmallIntegerField("每项评审专家数", default=3)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "概念验证征集"
        ordering = ["-deadline", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_total__gt=0), name="poc_call_budget_positive"),
            models.CheckConstraint(
                condition=Q(per_project_cap__gt=0, per_project_cap__lte=models.F("budget_total")),
                name="poc_call_cap_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens_on")), name="poc_call_deadline_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("poc:call", args=[self.pk])

    def get_rubric(self) -> review.Rubric:
        return review.Rubric.of(self.rubric)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            self.get_rubric()
        except review.ReviewError as error:
            errors["rubric"] = str(error)
        if self.per_project_cap and self.budget_total and self.per_project_cap > self.budget_total:
            errors["per_project_cap"] = (
                f"单项资助上限（{self.per_project_cap} 万元）不能高于总预算（{self.budget_total} 万元）"
            )
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            errors["deadline"] = "截止日期不能早于开始日期"
        if self.funder == self.Funder.PLATFORM and not self.platform_id:
            errors["platform"] = "概念验证平台的征集须选择平台"
        if self.funder == self.Funder.PRESIDENT and not self.host_id:
            errors["host"] = "校长基金须填写设立基金的高校"
        if self.reviewers_per_application is not None and not 1 <= self.reviewers_per_application <= 15:
            errors["reviewers_per_application"] = "每项评审专家数应在 1 到 15 之间"
        if errors:
            raise ValidationError(errors)


class PocApplication(models.Model):
    """An organisation's application to a call for one of its achievements, with a plan and a budget."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        UNDER_REVIEW = "under_review", "评审中"
        FUNDED = "funded", "已资助"
        REJECTED = "rejected", "未获资助"
        WITHDRAWN = "withdrawn", "已撤回"

    call = models.ForeignKey(PocCall, models.CASCADE, related_name="applications", verbose_name="征集")
    achievement = models.ForeignKey(
        "achievements.Achievement", models.PROTECT, related_name="poc_applications", verbose_name="成果"
    )
    applicant = models.ForeignKey(
        Organisation, models.PROTECT, related_name="poc_applications", verbose_name="申报单位"
    )
    plan = models.TextField("验证方案", help_text="验证目标、技术路线、进度安排、预期成果")
    budget = models.DecimalField("申请经费（万元）", max_digits=10, decimal_places=2, validators=POSITIVE)
    status = models.CharField("状态", max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="申报人"
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "概念验证申报"
        ordering = ["call", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "achievement"], name="poc_application_once_per_call"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="poc_application_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.achievement.title}"

    def get_absolute_url(self) -> str:
        return reverse("poc:application", args=[self.pk])


class ReviewAssignment(models.Model):
    """An expert asked to score an application; never one from the applicant's organisation."""

    application = models.ForeignKey(PocApplication, models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="poc_assignments", verbose_name="评审专家"
    )
    reason = models.CharField("分配依据", max_length=200, blank=True)
    created_at = models.DateTimeField("分配时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审分配"
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="poc_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Review(models.Model):
    """A reviewer's scores per criterion, their weighted total (0–100) and comment."""

    assignment = models.OneToOneField(ReviewAssignment, models.CASCADE, related_name="review")
    scores = models.JSONField("各项评分")
    total = models.DecimalField("总分", max_digits=5, decimal_places=2)
    comment = models.TextField("评审意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审意见"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.assignment}：{self.total}"


class FundingDecision(models.Model):
    """The amount granted to an application: within the call's cap and its remaining budget."""

    application = models.OneToOneField(PocApplication, models.CASCADE, related_name="decision")
    amount = models.DecimalField("资助金额（万元）", max_digits=10, decimal_places=2, validators=POSITIVE)
    decided_on = models.DateField("决定日期")
    note = models.TextField("说明", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "资助决定"
        ordering = ["-decided_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="poc_funding_positive")]

    def __str__(self) -> str:
        return f"{self.application}：{self.amount} 万元"


class Milestone(models.Model):
    """A step of a funded project: what is due when, the tranche it releases, the report and acceptance."""

    application = models.ForeignKey(PocApplication, models.CASCADE, related_name="milestones")
    title = models.CharField("节点名称", max_length=100)
    due_on = models.DateField("计划完成日期")
    deliverable = models.CharField("交付物", max_length=200)
    amount = models.DecimalField(
        "拨付金额（万元）",
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )
    report = models.TextField("完成情况", blank=True)
    evidence_link = models.URLField("佐证链接", blank=True)
    evidence_name = models.CharField("佐证文件名", max_length=200, blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    accepted = models.BooleanField("已验收", default=False)
    accepted_on = models.DateField("验收日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目节点"
        ordering = ["application", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.application} · {self.title}"


class Outcome(models.Model):
    """What came of a funded project: converted (with the contract), continuing, or stopped."""

    class Status(models.TextChoices):
        CONVERTED = "converted", "已转化"
        CONTINUING = "continuing", "继续验证"
        STOPPED = "stopped", "终止"

    application = models.OneToOneField(PocApplication, models.CASCADE, related_name="outcome")
    status = models.CharField("结果", max_length=12, choices=Status.choices)
    contract = models.ForeignKey(
        "deals.TechContract",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="poc_outcomes",
        verbose_name="技术合同",
    )
    note = models.TextField("说明", blank=True)
    date = models.DateField("日期")

    class Meta:
        verbose_name = verbose_name_plural = "项目结果"
        ordering = ["-date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="converted") | Q(contract__isnull=False),
                name="poc_outcome_converted_has_contract",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application}：{self.get_status_display()}"
