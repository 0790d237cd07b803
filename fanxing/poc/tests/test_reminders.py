"""Reminders: a call's deadline to the applicants' admins, pending reviews to experts, milestones due to
their owners; each sent once however often the command runs."""

import datetime
import io
import json
from decimal import Decimal

from django.core import mail
from django.core.management import CommandError, call_command

from fanxing.core.models import Notice
from fanxing.poc import services
from fanxing.poc.tests.base import PocTestCase


def remind(day: datetime.date) -> dict[str, int]:
    out = io.StringIO()
    call_command("poc", "remind", "--date", day.isoformat(), "--json", stdout=out)
    return json.loads(out.getvalue())


class ReminderTest(PocTestCase):
    def test_a_deadline_in_three_days_reaches_the_applicants_admins_once(self) -> None:
        self.tto_admin.email = "tto@qdu.edu.cn"
        self.tto_admin.save()
        call = self.make_call(deadline=self.today + datetime.timedelta(days=3))
        self.apply(call, self.tto_staff, self.qdu_achievement)
        self.assertEqual(remind(self.today - datetime.timedelta(days=1))["deadline"], 0)  # four days out
        self.assertEqual(remind(self.today)["deadline"], 1)
        self.assertEqual(remind(self.today)["deadline"], 0)
        notice = Notice.objects.get(key=f"poc-deadline-{call.pk}")
        self.assertEqual(notice.user, self.tto_admin)
        self.assertIn(str(call.deadline), notice.body)
        self.assertEqual([m.to for m in mail.outbox], [["tto@qdu.edu.cn"]])

    def test_pending_reviews_and_milestones_due_within_a_week_are_reminded_once(self) -> None:
        call = self.make_call(reviewers_per_application=2)
        application = self.apply(call, self.tto_staff, self.qdu_achievement)
        services.call_move(by=self.bureau_admin, call=call, status="reviewing")
        services.assignments_make(by=self.bureau_admin, call=call)
        done, pending = application.assignments.all()
        services.review_submit(by=done.reviewer, assignment=done, scores={"tech": 5, "market": 5, "team": 5})
        self.assertEqual(remind(self.today)["reviews"], 1)
        self.assertEqual(Notice.objects.get(key__startswith="poc-review-").user, pending.reviewer)
        services.funding_decide(by=self.bureau_admin, application=application, amount=Decimal("20"))
        services.milestone_add(
            by=self.tto_staff,
            application=application,
            title="中试",
            due_on=self.today + datetime.timedelta(days=7),
            deliverable="中试报告",
        )
        first = remind(self.today)
        self.assertEqual((first["reviews"], first["milestones"]), (0, 2))  # the submitter and the admin
        self.assertEqual(remind(self.today + datetime.timedelta(days=1))["milestones"], 0)
        owners = set(
            Notice.objects.filter(key__startswith="poc-milestone-").values_list("user__username", flat=True)
        )
        self.assertEqual(owners, {"tto_staff", "tto_admin"})

    def test_a_bad_date_is_refused_by_name(self) -> None:
        with self.assertRaisesMessage(CommandError, "--date“2026-13-01”不是 YYYY-MM-DD 格式的日期"):
            call_command("poc", "remind", "--date", "2026-13-01")
