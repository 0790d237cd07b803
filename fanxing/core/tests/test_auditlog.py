"""The audit log in words: actions, field names and choice values as the forms show them, on a record's
history, the bureau's log page and its export; a code without a label still shows, as itself."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanxing.achievements.services import achievement_move
from fanxing.core.auditlog import action_label, changes
from fanxing.core.models import AuditEntry
from fanxing.core.services import audit
from fanxing.core.workflow import Status
from tests.base import PersonasTestCase, make_achievement, sheet


class AuditLogWordsTest(PersonasTestCase):
    def setUp(self) -> None:
        self.record = make_achievement(self.qdu, title="对虾养殖尾水处理", status=Status.SUBMITTED)
        achievement_move(achievement=self.record, action="publish", by=self.bureau_admin)
        self.entry = AuditEntry.objects.get(action="publish")

    def test_an_action_and_its_changes_read_as_the_forms_say_them(self) -> None:
        self.assertEqual(action_label("publish"), "审核通过并发布")
        [change] = [c for c in changes(self.entry) if c.label == "状态"]
        self.assertEqual((change.before, change.after), ("待审核", "已发布"))

    def test_a_code_without_a_label_shows_as_itself(self) -> None:
        self.assertEqual(action_label("something_new"), "something_new")
        entry = audit(actor=None, action="x", target=self.record, changes={"counted": [1, 2], "odd": "value"})
        self.assertEqual(
            [(c.label, c.before, c.after) for c in changes(entry)],
            [("counted", 1, 2), ("odd", None, "value")],
        )

    def test_the_record_page_the_log_and_its_export_show_words_not_codes(self) -> None:
        self.login(self.tto_staff)
        page = self.client.get(self.record.get_absolute_url()).content.decode()
        self.assertIn("审核通过并发布", page)
        self.assertIn("状态：待审核 → 已发布", page)
        self.assertNotIn("<code>status</code>", page)
        self.login(self.bureau_admin)
        log = self.client.get(reverse("core:audit")).content.decode()
        self.assertIn("状态：待审核 → 已发布", log)
        self.assertIn('<option value="publish" >审核通过并发布</option>', log)
        self.assertEqual(self.client.get(reverse("core:audit"), {"action": "publish"}).status_code, 200)
        exported = self.client.get(reverse("core:audit"), {"export": "xlsx"})
        rows = sheet(exported)
        published = next(r for r in rows if r[2] == "审核通过并发布")
        self.assertIn("状态：待审核 → 已发布", published[5])

    def test_a_longer_history_costs_no_more_queries(self) -> None:
        self.login(self.bureau_admin)
        url = self.record.get_absolute_url()
        self.client.get(url)
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for n in range(5):
            audit(
                actor=self.bureau_admin,
                action="update",
                target=self.record,
                changes={"title": ["旧", f"新{n}"]},
            )
        with CaptureQueriesContext(connection) as six:
            self.assertContains(self.client.get(url), "成果名称：旧 → 新4")
        self.assertEqual(len(six), len(one))
