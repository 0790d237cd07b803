import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from fanxing.core.models import TechField
from fanxing.platforms.models import Platform, PlatformType
from fanxing.platforms.tests.base import PlatformTestCase
from tests.test_permission_matrix import ALL


class PlatformPagesTest(PlatformTestCase):
    def names(self, **query: object) -> set[str]:
        response = self.client.get(reverse("platforms:list"), query)
        return {p.name for p in response.context["page"]}

    def test_the_register_a_platform_and_the_park_and_chain_pages_are_public(self) -> None:
        for url in (
            reverse("platforms:list"),
            reverse("platforms:detail", args=[self.lab.pk]),
            reverse("platforms:parks"),
            reverse("platforms:park", args=[self.park.pk]),
            reverse("platforms:chain", args=[self.chain.pk]),
        ):
            with self.subTest(url):
                self.assertEqual(self.statuses(url), dict.fromkeys(ALL, 200))

    def test_the_bureau_records_platforms_and_keeps_parks_and_chains(self) -> None:
        for url in (
            reverse("platforms:new"),
            reverse("platforms:park_new"),
            reverse("platforms:park_edit", args=[self.park.pk]),
            reverse("platforms:chain_edit", args=[self.chain.pk]),
        ):
            found = self.statuses(url)
            with self.subTest(url):
                self.assertEqual({n for n, s in found.items() if s == 200}, {"bureau_admin"})
                self.assertEqual(found["anonymous"], 302)

    def test_a_platform_is_edited_by_the_bureau_and_its_host_office(self) -> None:
        found = self.statuses(reverse("platforms:edit", args=[self.lab.pk]))
        self.assertEqual(
            {n for n, s in found.items() if s == 200}, {"bureau_admin", "tto_admin", "tto_staff"}
        )

    def test_the_host_office_form_changes_the_description_but_not_the_level(self) -> None:
        self.login(self.tto_staff)
        url = reverse("platforms:edit", args=[self.lab.pk])
        self.assertNotIn("level", self.client.get(url).context["form"].fields)
        marine = TechField.objects.get(code="marine")
        response = self.client.post(
            url, {"description": "更新的简介", "fields": [marine.pk], "level": "district"}
        )
        self.assertRedirects(response, reverse("platforms:detail", args=[self.lab.pk]))
        self.lab.refresh_from_db()
        self.assertEqual((self.lab.description, self.lab.level), ("更新的简介", "national"))

    def test_the_bureau_form_records_a_platform(self) -> None:
        self.login(self.bureau_admin)
        response = self.client.post(
            reverse("platforms:new"),
            {
                "name": "青岛市智能传感器工程技术研究中心",
                "level": "municipal",
                "kind": PlatformType.objects.get(name="工程技术研究中心").pk,
                "host": self.haichuan.pk,
                "recognised_year": 2024,
                "status": "active",
            },
        )
        platform = Platform.objects.get(name="青岛市智能传感器工程技术研究中心")
        self.assertRedirects(response, reverse("platforms:detail", args=[platform.pk]))
        response = self.client.post(
            reverse("platforms:edit", args=[platform.pk]),
            {"name": platform.name, "level": "municipal", "kind": platform.kind_id, "host": self.haichuan.pk,
             "recognised_year": 2024, "status": "revoked"},
        )  # fmt: skip
        self.assertEqual(response.context["form"].errors["revoked_year"], ["已撤销的平台须填写撤销年份"])

    def test_the_list_filters(self) -> None:
        self.assertEqual(len(self.names()), 4)  # the revoked one only when asked for
        self.assertEqual(len(self.names(status="all")), 5)
        self.assertEqual(self.names(level="national"), {self.lab.name})
        self.assertEqual(
            self.names(level="city", year=2025), {self.lab.name, self.provincial.name, self.centre.name}
        )
        self.assertEqual(self.names(year=2022, level="municipal"), {self.centre.name, self.revoked.name})
        self.assertEqual(self.names(park=self.park.pk), {self.lab.name})
        self.assertEqual(self.names(park=0), {self.provincial.name, self.district.name})
        self.assertEqual(self.names(chain=self.other_chain.pk), {self.centre.name})
        self.assertEqual(self.names(host=self.ouc.pk), {self.provincial.name})
        self.assertEqual(self.names(kind=self.lab.kind_id), {self.lab.name})
        self.assertEqual(self.names(status="revoked"), {self.revoked.name})
        self.assertEqual(self.names(recognised=2020), {self.provincial.name})
        self.assertEqual(self.names(q="海川"), {self.centre.name})
        self.assertEqual(len(self.names(level="nonsense", park="x")), 4)  # bad values are dropped

    def test_the_summary_counts_levels_and_parks_with_links_to_the_list(self) -> None:
        response = self.client.get(reverse("platforms:list"), {"year": 2025})
        strip = {label: n for label, n, _ in response.context["strip"]}
        self.assertEqual(strip, {"市级以上": 3, "国家级": 1, "省级": 1, "市级": 1, "区级": 1})
        rows = {row["park"].name if row["park"] else "未入园": row for row in response.context["park_rows"]}
        national, query = rows[self.park.name]["cells"][0]
        self.assertEqual(national, 1)
        self.assertEqual(self.names(**dict(p.split("=") for p in query.split("&"))), {self.lab.name})
        self.assertEqual(rows["未入园"]["total"], 2)

    def test_the_summary_of_a_filtered_list_keeps_the_other_levels_and_parks(self) -> None:
        response = self.client.get(reverse("platforms:list"), {"park": self.park.pk, "level": "national"})
        self.assertEqual(self.names(park=self.park.pk, level="national"), {self.lab.name})
        strip = {label: n for label, n, _ in response.context["strip"]}
        self.assertEqual(strip["市级以上"], 1)
        rows = {
            row["park"].name if row["park"] else "未入园": row["total"]
            for row in response.context["park_rows"]
        }
        self.assertEqual(rows, {self.park.name: 1, self.other_park.name: 1, "未入园": 2})

    def test_the_filtered_list_exports_to_xlsx_and_csv(self) -> None:
        response = self.client.get(
            reverse("platforms:list"), {"level": "city", "year": 2025, "export": "xlsx"}
        )
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("平台名称", "级别", "平台类型", "依托单位"))
        exported = {r[0]: r for r in rows[1:]}
        self.assertEqual(set(exported), {self.lab.name, self.provincial.name, self.centre.name})
        self.assertEqual(exported[self.lab.name][1:5], ("国家级", "全国重点实验室", "青岛大学", 2010))
        self.assertEqual(exported[self.lab.name][7:9], (self.park.name, self.chain.name))

        response = self.client.get(reverse("platforms:list"), {"status": "revoked", "export": "csv"})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 2)
        self.assertEqual((rows[1][0], rows[1][5], rows[1][6]), (self.revoked.name, "已撤销", "2023"))

    def test_a_platform_page_shows_its_host_and_poc_record(self) -> None:
        from fanxing.poc.models import PocPlatform

        PocPlatform.objects.create(
            name=self.lab.name, level="provincial", host=self.qdu, recognised_year=2010, platform=self.lab,
            services="中试验证",
        )  # fmt: skip
        content = self.client.get(reverse("platforms:detail", args=[self.lab.pk])).content.decode()
        self.assertIn(reverse("core:organisation", args=[self.qdu.pk]), content)
        self.assertIn("概念验证平台登记", content)
        self.assertIn("中试验证", content)
