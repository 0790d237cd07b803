"""Events (对接活动): roadshows, matchmaking fairs, competitions and trainings; who registers with which
records, whom the organiser invites (curated by the matching engine), the one-to-one meetings asked for
and scheduled slot × table, and what came of each meeting (an interest becomes a lead)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class Event(models.Model):
    """An event an organisation holds. Meetings run in `slot_count` slots of `slot_minutes` minutes from
    `first_slot_at`, at `tables` tables; a draft is seen by its organisers only, a published event by all."""

    class Kind(models.TextChoices):
        ROADSHOW = "roadshow", "路演"
        FAIR = "fair", "对接会"
        COMPETITION = "competition", "大赛"
        TRAINING = "training", "培训"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        CLOSED = "closed", "已结束"

    kind = models.CharField("活动类型", max_length=12, choices=Kind.choices, default=Kind.FAIR)
    title = models.CharField("活动名称", max_length=200)
    theme = models.TextField("活动主题", help_text="主题说明，智能匹配据此推荐参会成果、需求和企业")
    theme_fields = models.ManyToManyField(
        "core.TechField", blank=True, related_name="events", verbose_name="主题领域"
    )
    organiser = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="organised_events", verbose_name="主办机构"
    )
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200, blank=True)
    online_url = models.URLField("线上地址", blank=True)
    capacity = models.PositiveIntegerField("参会机构上限", default=50)
    registration_opens = models.DateTimeField("报名开始")
    registration_closes = models.DateTimeField("报名截止")
    slot_count = models.PositiveSmallIntegerField("洽谈时段数", default=0)
    slot_minutes = models.PositiveSmallIntegerField("每时段分钟数", default=20)
    first_slot_at = models.DateTimeField("首个时段开始", null=True, blank=True)
    tables = models.PositiveSmallIntegerField("洽谈桌数", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "对接活动"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_closes__gte=F("registration_opens")),
                name="event_registration_ordered",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_url=""), name="event_has_a_place"),
            models.CheckConstraint(
                condition=Q(slot_count=0) | Q(first_slot_at__isnull=False, slot_minutes__gt=0, tables__gt=0),
                name="event_slots_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])

    def slot_start(self, slot: int) -> datetime.datetime:
        assert self.first_slot_at is not None
        return self.first_slot_at + datetime.timedelta(minutes=self.slot_minutes * slot)

    def slot_end(self, slot: int) -> datetime.datetime:
        return self.slot_start(slot) + datetime.timedelta(minutes=self.slot_minutes)

    def slot_label(self, slot: int) -> str:
        """第 n 时段 HH:MM–HH:MM, in the platform's time zone."""
        start, end = (timezone.localtime(t) for t in (self.slot_start(slot), self.slot_end(slot)))
        return f"第 {slot + 1} 时段 {start:%H:%M}–{end:%H:%M}"


class Registration(models.Model):
    """An organisation taking part, the person who comes, and the achievements and demands it brings."""

    event = models.ForeignKey(Event, models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(
        "core.Organisation", models.PROTECT, related_name="event_registrations", verbose_name="参会机构"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="event_registrations", verbose_name="参会人"
    )
    achievements = models.ManyToManyField(
        "achievements.Achievement", blank=True, related_name="event_registrations", verbose_name="带来的成果"
    )
    demands = models.ManyToManyField(
        "demands.Demand", blank=True, related_name="event_registrations", verbose_name="带来的需求"
    )
    unavailable_slots = models.JSONField(
        "不能参加的洽谈时段",
        default=list,
        blank=True,
        help_text="时段序号（从 0 起）；排程不在这些时段为其安排洽谈",
    )
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动报名"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="registration_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}（{self.event}）"


class Invitation(models.Model):
    """A proposal of the curation (an achievement, a demand or an enterprise for the event's theme) with the
    engine's score and reasons, and what the organiser made of it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "推荐"
        ACCEPTED = "accepted", "已采纳"
        REMOVED = "removed", "已移除"
        INVITED = "invited", "已邀请"
        REGISTERED = "registered", "已报名"

    event = models.ForeignKey(Event, models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "core.Organisation", models.CASCADE, related_name="event_invitations", verbose_name="机构"
    )
    achievement = models.ForeignKey(
        "achievements.Achievement",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="成果",
    )
    demand = models.ForeignKey(
        "demands.Demand", models.CASCADE, null=True, blank=True, related_name="+", verbose_name="需求"
    )
    score = models.FloatField("匹配度", default=0)
    reasons = models.JSONField("推荐理由", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PROPOSED)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动邀请"
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(achievement__isnull=True) | Q(demand__isnull=True), name="invitation_one_record"
            ),
            models.UniqueConstraint(
                fields=["event", "achievement"],
                condition=Q(achievement__isnull=False),
                name="invitation_achievement_once",
            ),
            models.UniqueConstraint(
                fields=["event", "demand"], condition=Q(demand__isnull=False), name="invitation_demand_once"
            ),
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=Q(achievement__isnull=True, demand__isnull=True),
                name="invitation_enterprise_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.achievement or self.demand or self.organisation)

    @property
    def kind_label(self) -> str:
        return "成果" if self.achievement_id else "需求" if self.demand_id else "企业"


class MeetingRequest(models.Model):
    """One participant asking another for a one-to-one meeting (洽谈预约)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "待回复"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已拒绝"

    event = models.ForeignKey(Event, models.CASCADE, related_name="meeting_requests")
    from_registration = models.ForeignKey(
        Registration, models.CASCADE, related_name="requests_made", verbose_name="发起方"
    )
    to_registration = models.ForeignKey(
        Registration, models.CASCADE, related_name="requests_received", verbose_name="对方"
    )
    note = models.CharField("留言", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "洽谈预约"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_registration=F("to_registration")), name="meeting_request_not_self"
            ),
            models.UniqueConstraint(
                fields=["from_registration", "to_registration"], name="meeting_request_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_registration.organisation} → {self.to_registration.organisation}"


class Meeting(models.Model):
    """A scheduled one-to-one meeting: two registrations, a slot and a table, the engine's value of the pair
    (0–100) and whether it was asked for; afterwards its outcome, and the lead an interest became."""

    class Outcome(models.TextChoices):
        INTEREST = "interest", "意向"
        NONE = "none", "无意向"
        FOLLOW_UP = "follow_up", "后续跟进"

    event = models.ForeignKey(Event, models.CASCADE, related_name="meetings")
    registration_a = models.ForeignKey(Registration, models.CASCADE, related_name="+", verbose_name="一方")
    registration_b = models.ForeignKey(Registration, models.CASCADE, related_name="+", verbose_name="另一方")
    slot = models.PositiveSmallIntegerField("时段")  # 0-based
    table = models.PositiveSmallIntegerField("桌号")  # 1-based, as the scheduler numbers them
    value = models.FloatField("匹配值", default=0)
    requested = models.BooleanField("预约", default=False)
    demand = models.ForeignKey(
        "demands.Demand", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="洽谈需求"
    )
    achievement = models.ForeignKey(
        "achievements.Achievement",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="洽谈成果",
    )
    outcome = models.CharField("洽谈结果", max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("结果说明", blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        "deals.Lead", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="对接线索"
    )

    class Meta:
        verbose_name = verbose_name_plural = "洽谈安排"
        ordering = ["slot", "table"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slot", "table"], name="meeting_one_per_table"),
            models.CheckConstraint(condition=~Q(registration_a=F("registration_b")), name="meeting_not_self"),
            models.CheckConstraint(condition=Q(table__gte=1), name="meeting_table_from_one"),
        ]

    def __str__(self) -> str:
        return f"时段 {self.slot + 1} · {self.table} 号桌"

    def other(self, registration: Registration) -> Registration:
        return self.registration_b if registration.pk == self.registration_a_id else self.registration_a
