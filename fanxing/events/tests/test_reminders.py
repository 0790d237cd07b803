"""The day's event reminders: registration closing for those invited and not registered, the day before for
the participants; each once, whatever the day's command is run again."""

import datetime
import io
import json

from django.core.management import CommandError, call_command
from django.utils import timezone

from fanxing.core.models import Notice
from fanxing.events import services
from fanxing.events.models import Event, Invitation
from fanxing.events.services.reminders import day_start
from fanxing.events.tests.factories import make_event
from tests.base import PersonasTestCase, make_achievement, make_demand


def remind(day: datetime.date) -> dict[str, int]:
    out = io.StringIO()
    call_command("events", "remind", "--date", day.isoformat(), "--json", stdout=out)
    return dict(json.loads(out.getvalue()))


class EventRemindersTest(PersonasTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.event = make_event(self.bureau)  # registration closes the day before it starts, next week
        self.closes = timezone.localdate(self.event.registration_closes)
        self.starts = timezone.localdate(self.event.starts_at)

    def test_invited_organisations_not_registered_hear_the_registration_is_closing(self) -> None:
        Invitation.objects.create(event=self.event, organisation=self.ouc, status=Invitation.Status.INVITED)
        Invitation.objects.create(event=self.event, organisation=self.qdu, status=Invitation.Status.INVITED)
        services.registration_create(by=self.tto_staff, event=self.event)  # 青岛大学 registered
        before = self.closes - datetime.timedelta(days=4)
        self.assertEqual(remind(before)["registration"], 0, "four days ahead: not yet")
        day = self.closes - datetime.timedelta(days=3)
        self.assertEqual(remind(day)["registration"], 1)  # 中国海洋大学's staff
        self.assertEqual(remind(day)["registration"], 0, "once, however often the command runs")
        notice = Notice.objects.get(key=f"event-registration-{self.event.pk}")
        self.assertEqual(notice.user, self.other_staff)
        self.assertIn("报名将于", notice.body)

    def test_participants_hear_the_day_before_with_their_meetings(self) -> None:
        achievement = make_achievement(self.qdu)
        demand = make_demand(self.haichuan)
        qdu = services.registration_create(by=self.tto_staff, event=self.event, achievements=[achievement])
        hc = services.registration_create(by=self.enterprise_user, event=self.event, demands=[demand])
        services.meeting_request(by=self.tto_staff, from_registration=qdu, to_registration=hc)
        services.schedule_make(by=self.bureau_admin, event=self.event)
        self.assertEqual(remind(self.starts - datetime.timedelta(days=2))["tomorrow"], 0)
        self.assertEqual(remind(self.starts - datetime.timedelta(days=1))["tomorrow"], 2)
        self.assertEqual(remind(self.starts - datetime.timedelta(days=1))["tomorrow"], 0)
        notice = Notice.objects.get(key=f"event-tomorrow-{self.event.pk}", user=self.enterprise_user)
        self.assertIn("贵单位有 1 场一对一洽谈", notice.body)
        self.assertIn("/my/agenda/", notice.url)

    def test_a_draft_or_closed_event_sends_nothing(self) -> None:
        services.registration_create(by=self.tto_staff, event=self.event)
        Event.objects.filter(pk=self.event.pk).update(status=Event.Status.CLOSED)
        self.assertEqual(remind(self.starts - datetime.timedelta(days=1)), {"registration": 0, "tomorrow": 0})

    def test_the_day_is_the_platforms_local_day(self) -> None:
        start = day_start(self.today)
        self.assertEqual(timezone.localtime(start).time(), datetime.time())
        self.assertEqual(timezone.localdate(start), self.today)

    def test_a_bad_date_is_refused_by_name(self) -> None:
        with self.assertRaisesMessage(CommandError, "--date“2026-02-30”不是 YYYY-MM-DD 格式的日期"):
            call_command("events", "remind", "--date", "2026-02-30")
