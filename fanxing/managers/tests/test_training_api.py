"""The managers API: training records and certificates of a manager, the yearly figures; the pages' rules."""

from datetime import date
from decimal import Decimal
from typing import Any

from fanxing.managers.models import Certificate, TrainingRecord
from fanxing.managers.services import certificate_add, training_add
from fanxing.managers.tests.test_training_pages import ManagerRecordsTestCase

JSON = "application/json"
COURSE = {"course": "技术转移概论", "hours": 16, "date": "2025-04-12", "provider": "青岛技术转移学院"}
CERTIFICATE = {
    "name": "技术经理人能力评价证书（中级）",
    "number": "CASTEM-2025-0001",
    "level": "intermediate",
    "issuer": "中国科学技术交流中心",
    "issued_on": "2025-06-30",
}


class TrainingApiTest(ManagerRecordsTestCase):
    def url(self, what: str, profile: Any = None) -> str:
        return f"/api/v1/managers/{(profile or self.profile).pk}/{what}"

    def post(self, user: Any, what: str, body: dict[str, Any], profile: Any = None) -> Any:
        self.login(user)
        return self.client.post(self.url(what, profile), body, content_type=JSON)

    def test_a_manager_adds_and_reads_their_own_training(self) -> None:
        response = self.post(self.manager, "training", COURSE)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["hours"], 16.0)
        self.assertEqual(
            [t["course"] for t in self.client.get(self.url("training")).json()], ["技术转移概论"]
        )

    def test_a_manager_cannot_add_training_for_another_manager_nor_staff_for_anyone(self) -> None:
        self.assertEqual(self.post(self.colleague, "training", COURSE).status_code, 404)
        self.assertEqual(self.post(self.tto_staff, "training", COURSE).status_code, 403)
        self.assertEqual(
            self.post(self.bureau_admin, "training", COURSE, self.other_profile).status_code, 201
        )
        self.assertEqual(
            list(TrainingRecord.objects.values_list("manager", flat=True)), [self.other_profile.pk]
        )

    def test_certificates_are_added_by_the_bureau_only(self) -> None:
        for user in (self.manager, self.tto_admin):
            with self.subTest(user.username):
                self.assertEqual(self.post(user, "certificates", CERTIFICATE).status_code, 403)
        response = self.post(self.bureau_admin, "certificates", CERTIFICATE)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["level_label"], "中级")
        self.login(self.enterprise_user)  # may see the manager's page, so their certificates
        self.assertEqual(
            [c["number"] for c in self.client.get(self.url("certificates")).json()], ["CASTEM-2025-0001"]
        )
        self.client.logout()
        self.assertEqual(self.client.get(self.url("certificates")).status_code, 404)

    def test_bad_input_is_422_naming_the_field_and_nothing_is_written(self) -> None:
        self.post(self.bureau_admin, "certificates", CERTIFICATE)
        cases = [
            ("training", COURSE | {"hours": 0}, "hours"),
            ("training", COURSE | {"hours": "many"}, "hours"),
            ("training", COURSE | {"provider": ""}, "provider"),
            ("training", COURSE | {"salary": 1}, "salary"),
            ("certificates", CERTIFICATE, "number"),  # the same number again
            ("certificates", CERTIFICATE | {"number": "X-2", "expires_on": "2025-01-01"}, "expires_on"),
        ]
        for what, body, field in cases:
            with self.subTest(field):
                response = self.post(self.bureau_admin, what, body)
                self.assertEqual(response.status_code, 422)
                self.assertIn(field, response.json()["errors"])
        self.assertEqual((TrainingRecord.objects.count(), Certificate.objects.count()), (0, 1))

    def test_the_yearly_figures_are_for_the_bureau(self) -> None:
        course = {"course": "概论", "hours": Decimal("16"), "date": date(2025, 4, 12), "provider": "学院"}
        training_add(by=None, manager=self.profile, fields=course)
        training_add(by=None, manager=self.other_profile, fields=course | {"hours": Decimal("8.5")})
        certificate_add(
            by=None,
            manager=self.profile,
            fields={"name": "证书", "number": "C-1", "issuer": "中心", "issued_on": date(2024, 6, 30)},
        )
        self.login(self.bureau_admin)
        self.assertEqual(
            self.client.get("/api/v1/managers/training-stats").json(),
            [
                {"year": 2024, "trained": 0, "hours": 0.0, "certified": 1},
                {"year": 2025, "trained": 2, "hours": 24.5, "certified": 0},
            ],
        )
        self.login(self.manager)
        self.assertEqual(self.client.get("/api/v1/managers/training-stats").status_code, 403)
