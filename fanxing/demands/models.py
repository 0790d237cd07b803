"""Enterprise technology demands (技术需求)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fanxing.achievements.models import price_label
from fanxing.core.models import ConversionWay, TechField
from fanxing.core.validators import validate_amounts
from fanxing.core.workflow import ReviewedRecord


class Demand(ReviewedRecord):
    """What an enterprise needs solved, by when, for how much, and how it wants to cooperate."""

    title = models.CharField("需求名称", max_length=200)
    problem = models.TextField("需解决的问题", max_length=2000)
    wanted_effect = models.TextField("期望效果", max_length=1000, blank=True)
    field = models.ForeignKey(TechField, models.PROTECT, verbose_name="技术领域")
    min_trl = models.PositiveSmallIntegerField(
        "最低技术就绪水平", validators=[MinValueValidator(1), MaxValueValidator(9)], default=1
    )
    ways = models.ManyToManyField(ConversionWay, verbose_name="合作方式", related_name="demands")
    budget_negotiable = models.BooleanField("预算面议", default=False)
    budget_min = models.DecimalField(
        "预算下限（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        "预算上限（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField("截止日期")

    class Meta:
        verbose_name = verbose_name_plural = "技术需求"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=[
                    "status",
                    "visibility",
                    "-published_at",
                    "-id",
                    "min_trl",
                    "field",
                    "organisation",
                    "deadline",
                ],
                name="demand_listing",
            ),
            models.Index(fields=["organisation", "status"], name="demand_org_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(min_trl__gte=1, min_trl__lte=9), name="demand_min_trl_1_9"),
            models.CheckConstraint(
                condition=Q(budget_negotiable=True, budget_min__isnull=True, budget_max__isnull=True)
                | Q(budget_negotiable=False, budget_min__isnull=True, budget_max__isnull=True)
                | Q(
                    budget_negotiable=False,
                    budget_min__isnull=False,
                    budget_max__isnull=False,
                    budget_min__lte=models.F("budget_max"),
                    budget_min__gte=0,
                ),
                name="demand_budget_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        validate_amounts(
            self.budget_negotiable, self.budget_min, self.budget_max, prefix="budget", label="预算"
        )

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])

    @property
    def budget_label(self) -> str:
        return price_label(self.budget_negotiable, self.budget_min, self.budget_max)
