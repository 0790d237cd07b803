import datetime

from django.urls import reverse
from django.utils import timezone

from fanxing.core.workflow import Status
from tests.base import PersonasTestCase, make_achievement, make_demand, sheet
from tests.test_permission_matrix import ALL


class ReviewQueueExportTest(PersonasTestCase):
    def setUp(self) -> None:
        submitted_at = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
        self.achievement = make_achievement(
            self.qdu, status=Status.SUBMITTED, published_at=None, submitted_at=submitted_at
        )
        self.demand = make_demand(
            self.haichuan, status=Status.SUBMITTED, published_at=None, submitted_at=submitted_at
        )
        make_achievement(self.ouc)  # published: not waiting for review

    def test_the_bureau_exports_what_waits_for_review(self) -> None:
        self.login(self.bureau_admin)
        rows = sheet(self.client.get(reverse("core:review_queue"), {"export": "xlsx"}))
        self.assertEqual(rows[0], ("类别", "编号", "标题", "机构", "技术领域", "提交时间"))
        self.assertEqual(
            rows[1:],
            [
                (
                    "成果",
                    self.achievement.ref,
                    self.achievement.title,
                    "青岛大学",
                    str(self.achievement.field),
                    "2026-03-02 09:30",
                ),
                (
                    "需求",
                    self.demand.ref,
                    self.demand.title,
                    "青岛海川科技有限公司",
                    str(self.demand.field),
                    "2026-03-02 09:30",
                ),
            ],
        )

    def test_no_one_else_gets_the_export(self) -> None:
        url = reverse("core:review_queue") + "?export=xlsx"
        expected = dict.fromkeys(ALL, 403) | {"anonymous": 302, "bureau_admin": 200}
        self.assertEqual(self.statuses(url), expected)

    def test_the_page_links_to_its_export(self) -> None:
        self.login(self.bureau_admin)
        self.assertContains(self.client.get(reverse("core:review_queue")), 'href="?export=xlsx"')
