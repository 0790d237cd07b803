from django.urls import reverse

from fanxing.platforms.tests.base import PlatformTestCase
from tests.base import sheet
from tests.test_permission_matrix import ALL


class ParksAndChainsExportTest(PlatformTestCase):
    def test_the_parks_page_exports_the_parks_then_the_chains_with_their_platforms(self) -> None:
        self.park.established_year = 2016
        self.park.save()
        rows = sheet(self.client.get(reverse("platforms:parks"), {"export": "xlsx"}))
        self.assertEqual(rows[0], ("类别", "名称", "主导产业", "设立年份", "平台数"))
        self.assertEqual(
            rows[1:],
            [
                ("专业化园区", "崂山区海洋生物医药产业园", "海洋生物医药", 2016, 1),
                ("专业化园区", "崂山区人工智能产业园", "人工智能", None, 1),
                ("产业链", "海洋生物医药", None, None, 1),
                ("产业链", "人工智能", None, None, 1),
            ],
        )

    def test_a_park_and_a_chain_export_their_platforms_as_the_register_does(self) -> None:
        rows = sheet(self.client.get(reverse("platforms:park", args=[self.park.pk]), {"export": "xlsx"}))
        self.assertEqual(rows[0][:4], ("平台名称", "级别", "平台类型", "依托单位"))
        self.assertEqual([r[:4] for r in rows[1:]], [(self.lab.name, "国家级", "全国重点实验室", "青岛大学")])
        rows = sheet(
            self.client.get(reverse("platforms:chain", args=[self.other_chain.pk]), {"export": "xlsx"})
        )
        self.assertEqual([r[0] for r in rows[1:]], [self.centre.name])

    def test_the_exports_are_public_as_the_pages_are_and_an_unknown_group_is_not_found(self) -> None:
        for url in (
            reverse("platforms:parks"),
            reverse("platforms:park", args=[self.park.pk]),
            reverse("platforms:chain", args=[self.chain.pk]),
        ):
            with self.subTest(url):
                self.assertEqual(self.statuses(url + "?export=xlsx"), dict.fromkeys(ALL, 200))
        self.assertEqual(
            self.client.get(reverse("platforms:park", args=[0]), {"export": "xlsx"}).status_code, 404
        )

    def test_the_pages_link_to_their_export_with_their_query(self) -> None:
        self.assertContains(self.client.get(reverse("platforms:parks")), 'href="?export=xlsx"')
        response = self.client.get(reverse("platforms:park", args=[self.park.pk]), {"page": 1, "x": "y"})
        self.assertContains(response, 'href="?x=y&amp;export=xlsx"')
