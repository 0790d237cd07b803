"""Leads (对接线索): a pair worth following up, handed to a technology manager. The brokerage issue
adds assignment by specialty, the activity log and contracts; here a lead is created from a match."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Lead(models.Model):
    """A demand and an achievement a technology manager should bring together."""

    class Stage(models.TextChoices):
        NEW = "new", "新建"
        CONTACTED = "contacted", "已联系"
        NEGOTIATING = "negotiating", "洽谈中"
        SIGNED = "signed", "已签约"
        CLOSED = "closed", "已终止"

    class Source(models.TextChoices):
        MATCH = "match", "智能匹配"
        EVENT = "event", "对接活动"
        MANUAL = "manual", "手工录入"

    demand = models.ForeignKey("demands.Demand", models.PROTECT, null=True, blank=True, related_name="leads")
    achievement = models.ForeignKey(
        "achievements.Achievement", models.PROTECT, null=True, blank=True, related_name="leads"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="leads",
        verbose_name="技术经理人",
        limit_choices_to={"role": "manager"},
    )
    stage = models.CharField("阶段", max_length=12, choices=Stage.choices, default=Stage.NEW)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MATCH)
    note = models.TextField("说明", blank=True)
    score = models.FloatField("匹配度", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "对接线索"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(demand__isnull=False) | Q(achievement__isnull=False), name="lead_has_a_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.demand or '—'} ↔ {self.achievement or '—'}"
