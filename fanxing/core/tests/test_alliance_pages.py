"""The alliance page: members with their activity in a year for signed-in users, export, the bureau's form."""

import io
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fanxing.core.models import AllianceMember, AuditEntry
from fanxing.core.services import alliance_member_save
from tests.base import PersonasTestCase, make_achievement, make_demand

URL = reverse("core:alliance")
NEW = reverse("core:alliance_member_create")


class AlliancePagesTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.year = timezone.localdate().year
        alliance_member_save(
            by=None, organisation=cls.qdu, fields={"role": "chair", "joined_on": date(cls.year - 2, 5, 1)}
        )
        alliance_member_save(by=None, organisation=cls.haichuan, fields={"joined_on": date(cls.year, 1, 2)})
        alliance_member_save(
            by=None,
            organisation=cls.ouc,
            fields={"joined_on": date(cls.year - 3, 1, 1), "left_on": date(cls.year - 2, 12, 31)},
        )
        make_achievement(cls.qdu)
        make_achievement(cls.qdu)
        make_demand(cls.haichuan)


class AlliancePageTest(AlliancePagesTestCase):
    def test_signed_in_users_see_this_years_members_with_their_activity(self) -> None:
        for user in (self.outsider, self.manager, self.tto_staff, self.bureau_admin):
            with self.subTest(user.username):
                self.login(user)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                rows = [
                    (a.member.organisation, a.achievements, a.demands) for a in response.context["activity"]
                ]
                self.assertEqual(rows, [(self.qdu, 2, 0), (self.haichuan, 0, 1)])
                page = response.content.decode()
                self.assertIn("理事长单位", page)
                self.assertNotIn("中国海洋大学", page)  # left before this year
        self.assertIn("转化联盟", page)  # the nav link

    def test_visitors_are_sent_to_sign_in(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_an_earlier_year_lists_the_members_of_that_year(self) -> None:
        self.login(self.tto_staff)
        response = self.client.get(URL, {"year": self.year - 2})
        self.assertEqual([a.member.organisation for a in response.context["activity"]], [self.ouc, self.qdu])
        for bad in ("abc", "1800", str(self.year + 5)):
            with self.subTest(bad):
                self.assertEqual(self.client.get(URL, {"year": bad}).context["year"], self.year)

    def test_the_export_holds_the_rows_shown(self) -> None:
        self.login(self.enterprise_user)
        response = self.client.get(URL, {"year": self.year, "export": "xlsx"})
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        self.assertEqual(
            rows[0], ("机构", "联盟职务", "加入日期", "退出日期", "发布成果", "发布需求", "合计")
        )
        self.assertEqual(
            [(r[0], r[1], r[4], r[5], r[6]) for r in rows[1:]],
            [
                ("青岛大学", "理事长单位", 2, 0, 2),
                ("青岛海川科技有限公司", "成员单位", 0, 1, 1),
            ],
        )


class AllianceFormTest(AlliancePagesTestCase):
    def post(self, url: str = NEW, **data: Any) -> Any:
        values = {"organisation": self.other_enterprise.pk, "role": "council", "joined_on": "2025-06-01"}
        return self.client.post(url, values | data)

    def test_the_bureau_admits_a_member_and_changes_one(self) -> None:
        self.login(self.bureau_admin)
        self.assertIn("添加成员", self.client.get(URL).content.decode())
        self.assertRedirects(self.post(), URL)
        member = AllianceMember.objects.get(organisation=self.other_enterprise)
        self.assertEqual((member.role, member.joined_on), ("council", date(2025, 6, 1)))
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=member.pk).exists())
        edit = reverse("core:alliance_member_edit", args=[self.qdu.pk])
        self.assertRedirects(
            self.post(edit, organisation=self.ouc.pk, role="vice_chair", joined_on="2023-05-01", left_on=""),
            URL,
        )
        member = AllianceMember.objects.get(organisation=self.qdu)  # the organisation of a member stays
        self.assertEqual(member.role, "vice_chair")
        self.assertEqual(AllianceMember.objects.filter(organisation=self.ouc).count(), 1)

    def test_only_the_bureau_edits_members(self) -> None:
        edit = reverse("core:alliance_member_edit", args=[self.qdu.pk])
        for user in (self.tto_admin, self.tto_staff, self.enterprise_user, self.manager):
            with self.subTest(user.username):
                self.login(user)
                self.assertNotIn("添加成员", self.client.get(URL).content.decode())
                self.assertEqual(self.client.get(NEW).status_code, 403)
                self.assertEqual(self.post().status_code, 403)
                self.assertEqual(self.post(edit, role="member").status_code, 403)
        self.assertFalse(AllianceMember.objects.filter(organisation=self.other_enterprise).exists())
        self.assertEqual(AllianceMember.objects.get(organisation=self.qdu).role, "chair")

    def test_bad_input_is_shown_on_its_field_and_nothing_is_written(self) -> None:
        self.login(self.bureau_admin)
        cases = [
            ({"left_on": "2025-01-01"}, "left_on"),  # before joining
            ({"role": "president"}, "role"),
            ({"joined_on": ""}, "joined_on"),
            ({"organisation": self.qdu.pk}, "organisation"),  # already a member
        ]
        for data, field in cases:
            with self.subTest(field):
                response = self.post(**data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
        self.assertEqual(AllianceMember.objects.count(), 3)
        self.assertIn("该机构已是联盟成员", response.content.decode())
