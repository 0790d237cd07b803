"""Feedback on matches, and the factor weights it teaches."""

from django.conf import settings
from django.db import models


class MatchFeedback(models.Model):
    """A person's verdict on one demand–achievement pair, with the factor scores they saw."""

    class Verdict(models.TextChoices):
        RELEVANT = "relevant", "相关"
        IRRELEVANT = "irrelevant", "不相关"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="match_feedback")
    demand = models.ForeignKey("demands.Demand", models.CASCADE, related_name="+")
    achievement = models.ForeignKey("achievements.Achievement", models.CASCADE, related_name="+")
    verdict = models.CharField("判断", max_length=10, choices=Verdict.choices)
    factors = models.JSONField("当时的因素得分", default=dict)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "匹配反馈"
        constraints = [
            models.UniqueConstraint(fields=["user", "demand", "achievement"], name="feedback_once_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_verdict_display()} {self.demand_id}↔{self.achievement_id}"


class FactorWeights(models.Model):
    """The structured factors' weights, learned from feedback (one row; absent means the defaults)."""

    weights = models.JSONField(default=dict)
    updates = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "匹配因素权重"

    def __str__(self) -> str:
        return ", ".join(f"{k} {v:.2f}" for k, v in self.weights.items())
