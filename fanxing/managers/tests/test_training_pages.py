"""The training and certificate forms of a manager's page, and the bureau's training statistics page."""

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from fanxing.accounts.models import Role
from fanxing.core.models import AuditEntry
from fanxing.managers.models import Certificate, TrainingRecord
from fanxing.managers.services import certificate_add, training_add
from tests.base import PersonasTestCase, make_profile, make_user

COURSE = {
    "training-course": "技术转移概论",
    "training-hours": "16",
    "training-date": "2025-04-12",
    "training-provider": "青岛技术转移学院",
}
CERTIFICATE = {
    "certificate-name": "技术经理人能力评价证书（中级）",
    "certificate-number": "CASTEM-2025-0001",
    "certificate-level": "intermediate",
    "certificate-issuer": "中国科学技术交流中心",
    "certificate-issued_on": "2025-06-30",
    "certificate-expires_on": "",
}


class ManagerRecordsTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.profile = make_profile(cls.manager, ["marine.drug"], "海洋药物成果转化")
        cls.colleague = make_user("manager2", Role.MANAGER)
        cls.other_profile = make_profile(cls.colleague, ["nem.material"], "新材料")

    def add_training(self, profile: Any = None, **data: str) -> Any:
        url = reverse("managers:training_add", args=[(profile or self.profile).pk])
        return self.client.post(url, COURSE | data)

    def add_certificate(self, **data: str) -> Any:
        return self.client.post(
            reverse("managers:certificate_add", args=[self.profile.pk]), CERTIFICATE | data
        )

    def page(self) -> str:
        return self.client.get(self.profile.get_absolute_url()).content.decode()


class TrainingFormTest(ManagerRecordsTestCase):
    def test_a_manager_records_their_own_training_which_their_page_then_shows(self) -> None:
        self.login(self.manager)
        self.assertIn("登记培训记录", self.page())
        self.assertNotIn("登记证书", self.page())
        self.assertRedirects(self.add_training(), self.profile.get_absolute_url())
        record = TrainingRecord.objects.get()
        self.assertEqual((record.manager, record.hours), (self.profile, Decimal("16.0")))
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=record.pk, actor=self.manager))
        self.assertIn("共 16.0 学时", self.page())

    def test_a_manager_cannot_record_training_for_another_manager(self) -> None:
        self.login(self.colleague)
        self.assertEqual(self.add_training().status_code, 404)  # another manager's page is not theirs to see
        self.login(self.tto_staff)  # sees the directory, records nobody's training
        self.assertNotIn("登记培训记录", self.page())
        self.assertEqual(self.add_training().status_code, 403)
        self.assertEqual(TrainingRecord.objects.count(), 0)

    def test_the_bureau_records_anyones_training(self) -> None:
        self.login(self.bureau_admin)
        self.assertRedirects(self.add_training(self.other_profile), self.other_profile.get_absolute_url())
        self.assertEqual(TrainingRecord.objects.get().manager, self.other_profile)

    def test_bad_hours_are_shown_on_the_field_and_nothing_is_written(self) -> None:
        self.login(self.manager)
        for hours in ("0", "-4", "600", "abc"):
            with self.subTest(hours):
                response = self.add_training(**{"training-hours": hours})
                self.assertEqual(response.status_code, 200)
                self.assertIn("hours", response.context["training_form"].errors)
        response = self.add_training(**{"training-provider": ""})
        self.assertIn("provider", response.context["training_form"].errors)
        self.assertEqual(TrainingRecord.objects.count(), 0)


class CertificateFormTest(ManagerRecordsTestCase):
    def test_the_bureau_records_a_certificate(self) -> None:
        self.login(self.bureau_admin)
        self.assertIn("登记证书", self.page())
        self.assertRedirects(self.add_certificate(), self.profile.get_absolute_url())
        self.assertEqual(self.profile.certificates.get().number, "CASTEM-2025-0001")
        self.assertIn("CASTEM-2025-0001", self.page())

    def test_only_the_bureau_records_certificates(self) -> None:
        for user in (self.manager, self.tto_admin, self.enterprise_user):
            with self.subTest(user.username):
                self.login(user)
                self.assertNotIn("登记证书", self.page())
                self.assertEqual(self.add_certificate().status_code, 403)
        self.assertEqual(Certificate.objects.count(), 0)

    def test_a_repeated_number_and_an_expiry_before_issue_are_refused_on_their_fields(self) -> None:
        self.login(self.bureau_admin)
        self.add_certificate()
        response = self.add_certificate()
        self.assertIn("number", response.context["certificate_form"].errors)
        response = self.add_certificate(
            **{"certificate-number": "X-2", "certificate-expires_on": "2025-01-01"}
        )
        self.assertIn("expires_on", response.context["certificate_form"].errors)
        self.assertEqual(Certificate.objects.count(), 1)


class TrainingStatsPageTest(ManagerRecordsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        course = {
            "course": "技术转移概论",
            "hours": Decimal("16"),
            "date": date(2025, 4, 12),
            "provider": "学院",
        }
        training_add(by=None, manager=cls.profile, fields=course)
        training_add(by=None, manager=cls.profile, fields=course | {"hours": Decimal("8.5")})
        training_add(by=None, manager=cls.other_profile, fields=course | {"date": date(2024, 9, 1)})
        certificate_add(
            by=None,
            manager=cls.profile,
            fields={
                "name": "技术经理人能力评价证书",
                "number": "C-1",
                "issuer": "中国科学技术交流中心",
                "issued_on": date(2025, 6, 30),
            },
        )

    def test_the_bureau_sees_hours_people_trained_and_certified_per_year_as_table_and_chart(self) -> None:
        self.login(self.bureau_admin)
        response = self.client.get(reverse("managers:training_stats"))
        page = response.content.decode()
        self.assertIn("技术经理人培训统计", page)
        self.assertInHTML(
            '<tr><td>2025</td><td class="text-end">1</td><td class="text-end">24.5</td>'
            '<td class="text-end">1</td></tr>',
            page,
        )
        bars = {b["year"]: b for b in response.context["bars"]}
        self.assertEqual(bars[2025]["hours"], (Decimal("24.5"), 100))
        self.assertEqual(bars[2024]["hours"], (Decimal("16.0"), 65))
        self.assertEqual(bars[2024]["certified"], (0, 0))
        self.assertIn('style="width: 65%"', page)

    def test_the_export_holds_the_table(self) -> None:
        self.login(self.bureau_admin)
        response = self.client.get(reverse("managers:training_stats") + "?export=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(
            list(sheet.iter_rows(values_only=True)),
            [("年度", "培训人数", "培训学时", "取得证书人数"), (2024, 1, 16, 0), (2025, 1, 24.5, 1)],
        )

    def test_only_the_bureau_sees_the_statistics(self) -> None:
        for user in (self.manager, self.tto_admin, self.enterprise_user):
            with self.subTest(user.username):
                self.login(user)
                self.assertEqual(self.client.get(reverse("managers:training_stats")).status_code, 403)
