"""The day's event reminders, each sent once (the notice key)."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts.models import Role, User
from fanxing.core.services import notify
from fanxing.events.models import Event, Invitation

REGISTRATION_DAYS = 3


def event_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Send the day's reminders, each once (by its notice key), and count them:
    - `registration`: a published event whose registration closes within 3 days, to the admins and staff of
      the organisations invited that have not registered;
    - `tomorrow`: a published event that starts tomorrow, to each participant's person, with their number
      of one-to-one meetings."""
    today = today or timezone.localdate()
    sent = {"registration": 0, "tomorrow": 0}
    published = Event.objects.filter(status=Event.Status.PUBLISHED)
    closing = published.filter(
        registration_closes__gte=day_start(today),
        registration_closes__lt=day_start(today + datetime.timedelta(REGISTRATION_DAYS + 1)),
    )
    for event in closing:
        invited = event.invitations.filter(status=Invitation.Status.INVITED).values("organisation_id")
        people = User.objects.filter(
            organisation_id__in=invited, role__in=[Role.ORG_ADMIN, Role.ORG_STAFF, Role.ENTERPRISE]
        )
        sent["registration"] += len(
            notify(
                users=people,
                subject=f"活动报名即将截止：{event.title}",
                body=f"贵单位受邀参加“{event.title}”，报名将于 {timezone.localtime(event.registration_closes):%Y-%m-%d %H:%M} 截止。",
                url=event.get_absolute_url(),
                key=f"event-registration-{event.pk}",
            )
        )
    tomorrow = published.filter(
        starts_at__gte=day_start(today + datetime.timedelta(1)),
        starts_at__lt=day_start(today + datetime.timedelta(2)),
    )
    for event in tomorrow:
        starts = timezone.localtime(event.starts_at)
        for registration in event.registrations.select_related("person"):
            mine = Q(registration_a=registration) | Q(registration_b=registration)
            meetings = event.meetings.filter(mine).count()
            agenda = f"贵单位有 {meetings} 场一对一洽谈，请查看时段和桌号。" if meetings else ""
            sent["tomorrow"] += len(
                notify(
                    users=[registration.person],
                    subject=f"明天参加：{event.title}",
                    body=f"{starts:%m月%d日 %H:%M} 开始，地点：{event.place or event.online_url}。{agenda}",
                    url=reverse("events:agenda", args=[event.pk]) if meetings else event.get_absolute_url(),
                    key=f"event-tomorrow-{event.pk}",
                )
            )
    return sent


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight starting `day` in the platform's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
