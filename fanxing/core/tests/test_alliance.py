"""The technology-transfer alliance: members kept by the bureau, and what each did in a year."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanxing.core.models import AllianceMember, AuditEntry
from fanxing.core.selectors import alliance_activity
from fanxing.core.services import alliance_member_save
from tests.base import PersonasTestCase, make_achievement, make_demand


class AllianceTest(PersonasTestCase):
    def test_the_bureau_admits_a_member_with_an_audit_entry_and_others_cannot(self) -> None:
        member = alliance_member_save(
            by=self.bureau_admin,
            organisation=self.qdu,
            fields={"role": "chair", "joined_on": date(2023, 5, 1)},
        )
        self.assertEqual(self.qdu.alliance_membership, member)
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=member.pk).exists())
        for user in (self.tto_admin, self.enterprise_user, self.manager):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                alliance_member_save(by=user, organisation=self.ouc, fields={"joined_on": date(2024, 1, 1)})
        self.assertEqual(AllianceMember.objects.count(), 1)

    def test_bad_input_names_the_field_and_changes_nothing(self) -> None:
        alliance_member_save(
            by=self.bureau_admin, organisation=self.qdu, fields={"joined_on": date(2023, 5, 1)}
        )
        cases = [
            ({"left_on": date(2022, 1, 1)}, "left_on"),
            ({"role": "president"}, "role"),
        ]
        for fields, field in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                alliance_member_save(by=self.bureau_admin, organisation=self.qdu, fields=fields)
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaisesMessage(ValidationError, "不能修改这些字段：organisation"):
            alliance_member_save(
                by=self.bureau_admin, organisation=self.qdu, fields={"organisation": self.ouc}
            )
        member = AllianceMember.objects.get()
        self.assertEqual((member.role, member.left_on), ("member", None))

    def test_activity_counts_what_members_published_that_year(self) -> None:
        alliance_member_save(by=None, organisation=self.qdu, fields={"joined_on": date(2023, 5, 1)})
        alliance_member_save(by=None, organisation=self.haichuan, fields={"joined_on": date(2025, 3, 1)})
        alliance_member_save(
            by=None,
            organisation=self.ouc,
            fields={"joined_on": date(2020, 1, 1), "left_on": date(2024, 6, 30)},
        )
        in_2025 = timezone.make_aware(timezone.datetime(2025, 7, 1))
        make_achievement(self.qdu, title="对虾养殖尾水处理", published_at=in_2025)
        make_achievement(self.qdu, title="海洋药物筛选平台", published_at=in_2025)
        make_demand(self.haichuan, title="寻求尾水处理方案", published_at=in_2025)
        rows = [(a.member.organisation, a.achievements, a.demands) for a in alliance_activity(2025)]
        # 中国海洋大学 left in 2024; the personas' own records were published this year, not in 2025
        self.assertEqual(rows, [(self.qdu, 2, 0), (self.haichuan, 0, 1)])

    def test_a_year_without_members_points_to_the_year_before_and_to_adding_one(self) -> None:
        this_year = timezone.localdate().year
        alliance_member_save(
            by=self.bureau_admin,
            organisation=self.qdu,
            fields={"joined_on": date(this_year - 1, 5, 1), "left_on": date(this_year - 1, 12, 31)},
        )
        self.login(self.bureau_admin)
        page = self.client.get("/alliance/", {"year": this_year}).content.decode()
        self.assertIn(f'<a href="?year={this_year - 1}">查看 {this_year - 1} 年</a>', page)
        self.assertIn("成员单位由科技局管理员", page)
        self.login(self.tto_staff)
        self.assertNotIn("成员单位由科技局管理员", self.client.get("/alliance/").content.decode())
