"""Innovation competitions (创新大赛, such as 千创汇·智崂山): entries from organisations, a panel of judges
scoring them on a weighted rubric, normalised rankings and awards.

The review arithmetic (rubric totals, conflict of interest, z-scores, rankings) is `fanxing.core.review`;
the writes are `fanxing.competitions.services`. A competition may name the event (fanxing.events, kind 大赛)
at which it is held.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from fanxing.core.review import Rubric


class Competition(models.Model):
    """A competition run by an organisation (the bureau, a park): an entry window, a rubric, a panel.

    Status: 筹备中 (only its organisers see it) → 报名中 (entries within the window) → 评审中 (assignments and
    scores) → 已结束 (awards decided and published)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        OPEN = "open", "报名中"
        JUDGING = "judging", "评审中"
        CLOSED = "closed", "已结束"

    title = models.CharField("大赛名称", max_length=120)
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000)])
    organiser = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="competitions", verbose_name="主办单位"
    )
    description = models.TextField("大赛简介", blank=True)
    rubric = models.JSONField("评分细则", default=list)
    opens_on = models.DateField("报名开始")
    closes_on = models.DateField("报名截止")
    judges_per_entry = models.PositiveSmallIntegerField(
        "每件作品评委数", default=3, validators=[MinValueValidator(1)]
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    event = models.ForeignKey(
        "events.Event",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="competitions",
        verbose_name="对接活动",
        limit_choices_to={"kind": "competition"},
        help_text="可选：举办大赛的对接活动（类型为“大赛”）",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "创新大赛"
        ordering = ["-year", "-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="competition_window"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("competitions:detail", args=[self.pk])

    @property
    def review_rubric(self) -> Rubric:
        return Rubric.of(self.rubric)


class Entry(models.Model):
    """An organisation's entry (参赛项目): what it is, the team, optionally the achievement it rests on."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已报名"
        WITHDRAWN = "withdrawn", "已撤回"

    competition = models.ForeignKey(Competition, models.CASCADE, related_name="entries")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="competition_entries", verbose_name="参赛单位"
    )
    title = models.CharField("项目名称", max_length=120)
    summary = models.TextField("项目简介")
    achievement = models.ForeignKey(
        "achievements.Achievement",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="competition_entries",
        verbose_name="关联成果",
    )
    team = models.TextField("团队成员", blank=True, help_text="姓名、职务或分工，每行一人")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "参赛项目"
        ordering = ["competition", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "organisation", "title"], name="entry_once_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.organisation}）"


class Judge(models.Model):
    """A member of a competition's panel (评委): an expert or any user. Whom they may not score is decided by
    `managers.selectors.person_organisation_ids`."""

    competition = models.ForeignKey(Competition, models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="competition_judgeships", verbose_name="评委"
    )
    added_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评委"
        ordering = ["competition", "pk"]
        constraints = [models.UniqueConstraint(fields=["competition", "user"], name="judge_once")]

    def __str__(self) -> str:
        return str(self.user)


class Assignment(models.Model):
    """An entry given to a judge to score; made only when the judge is not conflicted."""

    judge = models.ForeignKey(Judge, models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField("分配时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审分配"
        ordering = ["entry", "judge"]
        constraints = [models.UniqueConstraint(fields=["judge", "entry"], name="assignment_once")]

    def __str__(self) -> str:
        return f"{self.judge} → {self.entry}"


class Score(models.Model):
    """A judge's scores of an entry, per criterion, and their weighted total (0–100) under the rubric."""

    assignment = models.OneToOneField(Assignment, models.CASCADE, related_name="score")
    scores = models.JSONField("各项评分", default=dict)
    total = models.DecimalField("总分", max_digits=5, decimal_places=2)
    comment = models.TextField("评语", blank=True)
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = verbose_name_plural = "评分"
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="score_total_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}：{self.total}"


class Award(models.Model):
    """A prize (一等奖, 二等奖, 三等奖, 优秀奖...) given to an entry for its place in the ranking."""

    competition = models.ForeignKey(Competition, models.CASCADE, related_name="awards")
    entry = models.OneToOneField(Entry, models.CASCADE, related_name="award")
    prize = models.CharField("奖项", max_length=20)
    rank = models.PositiveSmallIntegerField("名次")

    class Meta:
        verbose_name = verbose_name_plural = "获奖项目"
        ordering = ["competition", "rank"]
        constraints = [models.UniqueConstraint(fields=["competition", "rank"], name="award_rank_once")]

    def __str__(self) -> str:
        return f"{self.prize}：{self.entry}"
