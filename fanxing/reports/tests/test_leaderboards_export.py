import datetime

from django.urls import reverse
from django.utils import timezone

from fanxing.reports.models import Leaderboard
from tests.base import PersonasTestCase, sheet
from tests.test_permission_matrix import ALL


class LeaderboardsExportTest(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Leaderboard.objects.create(
            year=2025,
            ends_on=datetime.date(2025, 11, 30),
            title="2025年度崂山区科技成果榜单",
            published_at=timezone.make_aware(datetime.datetime(2025, 12, 10, 9, 0)),
            published_by=cls.bureau_admin,
        )
        Leaderboard.objects.create(year=2026, ends_on=datetime.date(2026, 11, 30))

    def test_the_bureau_exports_every_years_leaderboard(self) -> None:
        self.login(self.bureau_admin)
        rows = sheet(self.client.get(reverse("reports:leaderboards"), {"export": "xlsx"}))
        self.assertEqual(rows[0], ("年度", "标题", "统计截至", "状态", "发布时间", "发布人"))
        self.assertEqual(
            rows[1:],
            [
                (2026, "2026年度科技成果榜单", datetime.datetime(2026, 11, 30), "未发布", None, None),
                (
                    2025,
                    "2025年度崂山区科技成果榜单",
                    datetime.datetime(2025, 11, 30),
                    "已发布",
                    "2025-12-10 09:00",
                    str(self.bureau_admin),
                ),
            ],
        )

    def test_no_one_else_gets_the_export(self) -> None:
        url = reverse("reports:leaderboards") + "?export=xlsx"
        expected = dict.fromkeys(ALL, 403) | {"anonymous": 302, "bureau_admin": 200}
        self.assertEqual(self.statuses(url), expected)

    def test_the_page_links_to_its_export_keeping_its_query(self) -> None:
        self.login(self.bureau_admin)
        response = self.client.get(reverse("reports:leaderboards"), {"year": 2026})
        self.assertContains(response, 'href="?year=2026&amp;export=xlsx"')
