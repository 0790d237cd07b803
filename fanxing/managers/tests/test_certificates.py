"""Technology managers' certificates and training records: who records them, what is refused, the yearly
figures, and the manager's page."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from fanxing.accounts.models import Role
from fanxing.core.models import AuditEntry
from fanxing.managers.models import Certificate, TrainingRecord
from fanxing.managers.selectors import TrainingYear, training_by_year
from fanxing.managers.services import certificate_add, training_add
from tests.base import PersonasTestCase, make_profile, make_user

CERTIFICATE = {
    "name": "技术经理人能力评价证书（中级）",
    "number": "CASTEM-2025-0001",
    "level": "intermediate",
    "issuer": "中国科学技术交流中心",
    "issued_on": date(2025, 6, 30),
}
COURSE = {
    "course": "技术转移概论",
    "hours": Decimal("16"),
    "date": date(2025, 4, 12),
    "provider": "青岛技术转移学院",
}


class CertificatesAndTrainingTest(PersonasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.profile = make_profile(cls.manager, ["marine.drug"], "海洋药物成果转化")

    def test_the_bureau_records_a_certificate_with_an_audit_entry(self) -> None:
        certificate = certificate_add(by=self.bureau_admin, manager=self.profile, fields=CERTIFICATE)
        self.assertEqual(self.profile.certificates.get(), certificate)
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=certificate.pk).exists())

    def test_a_manager_cannot_record_their_own_certificate_but_can_record_their_training(self) -> None:
        with self.assertRaises(PermissionDenied):
            certificate_add(by=self.manager, manager=self.profile, fields=CERTIFICATE)
        training_add(by=self.manager, manager=self.profile, fields=COURSE)
        with self.assertRaises(PermissionDenied):
            training_add(by=self.tto_staff, manager=self.profile, fields=COURSE)
        self.assertEqual((Certificate.objects.count(), TrainingRecord.objects.count()), (0, 1))

    def test_bad_input_is_refused_with_the_field_and_nothing_is_written(self) -> None:
        certificate_add(by=self.bureau_admin, manager=self.profile, fields=CERTIFICATE)
        cases = [
            (certificate_add, CERTIFICATE, "number"),  # the same number again
            (certificate_add, CERTIFICATE | {"number": "X-2", "expires_on": date(2025, 1, 1)}, "expires_on"),
            (training_add, COURSE | {"hours": Decimal("0")}, "hours"),
            (training_add, COURSE | {"hours": Decimal("-4")}, "hours"),
            (training_add, COURSE | {"provider": ""}, "provider"),
        ]
        for add, fields, field in cases:
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                add(by=self.bureau_admin, manager=self.profile, fields=fields)
            self.assertIn(field, caught.exception.message_dict)
        with self.assertRaisesMessage(ValidationError, "不能填写这些字段：salary"):
            training_add(by=self.bureau_admin, manager=self.profile, fields=COURSE | {"salary": 1})
        self.assertEqual((Certificate.objects.count(), TrainingRecord.objects.count()), (1, 0))

    def test_training_hours_and_certified_people_per_year(self) -> None:
        other = make_profile(make_user("manager2", Role.MANAGER), ["nem.material"], "新材料")
        training_add(by=self.bureau_admin, manager=self.profile, fields=COURSE)
        training_add(by=self.bureau_admin, manager=self.profile, fields=COURSE | {"hours": Decimal("8.5")})
        training_add(by=self.bureau_admin, manager=other, fields=COURSE | {"date": date(2024, 9, 1)})
        certificate_add(by=self.bureau_admin, manager=self.profile, fields=CERTIFICATE)
        self.assertEqual(
            training_by_year(),
            [TrainingYear(2024, 1, Decimal("16.0"), 0), TrainingYear(2025, 1, Decimal("24.5"), 1)],
        )

    def test_the_managers_page_shows_certificates_training_and_total_hours(self) -> None:
        certificate_add(by=self.bureau_admin, manager=self.profile, fields=CERTIFICATE)
        training_add(by=self.bureau_admin, manager=self.profile, fields=COURSE)
        self.login(self.bureau_admin)
        page = self.client.get(self.profile.get_absolute_url()).content.decode()
        self.assertIn("CASTEM-2025-0001", page)
        self.assertIn("技术转移概论", page)
        self.assertIn("共 16.0 学时", page)
