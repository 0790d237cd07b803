"""In-app notices with an email, sent once per key."""

from django.core import mail

from fanxing.core.models import Notice
from fanxing.core.services import notify
from tests.base import PersonasTestCase


class NoticeTest(PersonasTestCase):
    def test_a_notice_reaches_the_user_in_app_and_by_email_once_per_key(self) -> None:
        self.tto_staff.email = "staff@qdu.example"
        self.tto_staff.save()
        for _ in range(2):
            notify(
                users=[self.tto_staff, self.manager],
                subject="概念验证申报将于 3 天后截止",
                url="/poc/",
                key="call-1-3d",
            )
        self.assertEqual(Notice.objects.filter(key="call-1-3d").count(), 2)
        self.assertEqual([m.to for m in mail.outbox], [["staff@qdu.example"]])
        self.assertIn("/poc/", mail.outbox[0].body)
        self.assertTrue(Notice.objects.get(user=self.tto_staff).emailed)
        self.assertFalse(Notice.objects.get(user=self.manager).emailed)  # no address: in-app only
