"""In-app notices with an email, sent once per key."""

from django.core import mail
from django.urls import reverse

from fanxing.core.models import Notice
from fanxing.core.services import notice_email_send, notify
from tests.base import PersonasTestCase
from tests.faults.support import free_port


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

    def test_the_notices_page_shows_a_users_own_notices_and_marks_them_read(self) -> None:
        notify(users=[self.tto_staff], subject="您被邀请参加对接会", url="/events/")
        notify(users=[self.other_staff], subject="别人的通知")
        self.login(self.tto_staff)
        home = self.client.get("/").content.decode()
        self.assertIn('title="未读通知">1</span>', home)
        page = self.client.get(reverse("core:notices")).content.decode()
        self.assertIn("您被邀请参加对接会", page)
        self.assertNotIn("别人的通知", page)
        self.assertIsNotNone(Notice.objects.get(user=self.tto_staff).read_at)
        self.assertNotIn('title="未读通知"', self.client.get("/").content.decode())

    def test_a_mail_server_that_refuses_leaves_the_notice_unsent_for_a_retry(self) -> None:
        self.tto_staff.email = "staff@qdu.example"
        self.tto_staff.save()
        closed = free_port()  # a port nothing listens on: the connection is refused
        smtp = "django.core.mail.backends.smtp.EmailBackend"
        with self.settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed, EMAIL_TIMEOUT=2):
            [notice] = notify(users=[self.tto_staff], subject="合同待登记", url="/deals/")
        notice.refresh_from_db()
        self.assertFalse(notice.emailed, "the in-app notice stands; the email is still owed")
        self.assertEqual(mail.outbox, [])
        notice_email_send(notice.pk)  # the retry, once the server is back
        notice_email_send(notice.pk)  # a task run twice sends once
        self.assertEqual([m.subject for m in mail.outbox], ["合同待登记"])
        notice.refresh_from_db()
        self.assertTrue(notice.emailed)
