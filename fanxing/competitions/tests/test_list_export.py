import datetime

from django.urls import reverse

from fanxing.competitions.models import Competition
from fanxing.competitions.tests.base import CompetitionTestCase
from tests.base import sheet


class CompetitionListExportTest(CompetitionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.entry(self.haichuan, "海水淡化膜组件")
        self.draft = Competition.objects.create(
            title="崂山区海洋科技创新挑战赛",
            year=self.competition.year,
            organiser=self.qdu,
            opens_on=self.competition.opens_on + datetime.timedelta(days=60),
            closes_on=self.competition.closes_on + datetime.timedelta(days=60),
        )

    def export(self) -> list[tuple[object, ...]]:
        response = self.client.get(reverse("competitions:list"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        return sheet(response)

    def test_the_list_exports_the_competitions_with_their_entries(self) -> None:
        rows = self.export()
        self.assertEqual(rows[0], ("大赛", "年度", "主办单位", "报名开始", "报名截止", "参赛项目", "状态"))
        self.assertEqual(
            rows[1:],
            [
                (
                    "千创汇·智崂山创新创业大赛",
                    self.competition.year,
                    "青岛大学",
                    datetime.datetime.combine(self.competition.opens_on, datetime.time()),
                    datetime.datetime.combine(self.competition.closes_on, datetime.time()),
                    1,
                    "报名中",
                )
            ],
        )

    def test_a_draft_is_exported_only_to_those_who_run_it(self) -> None:
        self.login(self.outsider)
        self.assertNotIn(self.draft.title, [r[0] for r in self.export()])
        self.login(self.tto_staff)
        self.assertIn(self.draft.title, [r[0] for r in self.export()])

    def test_the_page_links_to_its_export(self) -> None:
        response = self.client.get(reverse("competitions:list"))
        self.assertContains(response, 'href="?export=xlsx"')
