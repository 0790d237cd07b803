"""The ledger API: GET /organisations/{id}/ledger and POST /achievements/{id}/grants, with the pages' rules."""

from typing import Any

from fanxing.achievements.models import RightsGrant
from fanxing.achievements.tests.test_ledger_pages import LedgerTestCase
from fanxing.core.models import AuditEntry

JSON = "application/json"
GRANT = {"kind": "use", "grantees": "王洋", "share": 100, "granted_on": "2025-04-01", "term_years": 10}


class LedgerApiTest(LedgerTestCase):
    def ledger(self, user: Any, organisation: Any = None) -> Any:
        self.client.logout()
        if user is not None:
            self.login(user)
        return self.client.get(f"/api/v1/organisations/{(organisation or self.qdu).pk}/ledger")

    def post_grant(self, user: Any, achievement: Any = None, **body: Any) -> Any:
        self.login(user)
        url = f"/api/v1/achievements/{(achievement or self.shrimp).pk}/grants"
        return self.client.post(url, GRANT | body, content_type=JSON)

    def test_the_ledger_shows_grants_conversions_income_and_totals(self) -> None:
        data = self.ledger(self.tto_staff).json()
        self.assertEqual(data["organisation"], {"id": self.qdu.pk, "name": "青岛大学"})
        shrimp = next(a for a in data["achievements"] if a["id"] == self.shrimp.pk)
        self.assertEqual(
            [(g["kind"], g["share"], g["grantees"]) for g in shrimp["grants"]],
            [("ownership", 70.0, "张海、李青")],
        )
        self.assertEqual(
            [
                (c["number"], c["kind"], c["amount"], c["signed_on"], c["received"])
                for c in shrimp["conversions"]
            ],
            [("QDU-2025-001", "licence", 120.0, "2025-05-06", 52.5)],
        )
        self.assertEqual(
            data["totals"],
            {
                "achievements": 2,
                "grants": 1,
                "contracts": 1,
                "converted": 2,
                "amount": 120.0,
                "received": 52.5,
            },
        )

    def test_the_ledger_is_for_the_units_members_and_the_bureau(self) -> None:
        for user, status in [
            (self.bureau_admin, 200),
            (self.tto_admin, 200),
            (self.tto_staff, 200),
            (self.other_staff, 403),
            (self.enterprise_user, 403),
            (self.outsider, 403),
            (self.manager, 403),
            (None, 403),
        ]:
            with self.subTest(getattr(user, "username", "anonymous")):
                self.assertEqual(self.ledger(user).status_code, status)
        self.assertEqual(self.client.get("/api/v1/organisations/99999/ledger").status_code, 404)

    def test_the_units_admin_adds_a_grant(self) -> None:
        response = self.post_grant(self.tto_admin)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual((response.json()["kind_label"], response.json()["term_years"]), ("长期使用权", 10))
        grant = RightsGrant.objects.get(pk=response.json()["id"])
        self.assertTrue(AuditEntry.objects.filter(action="create", object_id=grant.pk).exists())

    def test_grants_are_refused_to_staff_and_hidden_from_other_units(self) -> None:
        self.assertEqual(self.post_grant(self.tto_staff).status_code, 403)
        self.assertEqual(self.post_grant(self.other_staff).status_code, 404)
        self.assertEqual(self.post_grant(self.tto_admin, achievement=self.elsewhere).status_code, 404)
        self.client.logout()
        response = self.client.post(f"/api/v1/achievements/{self.shrimp.pk}/grants", GRANT, content_type=JSON)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(RightsGrant.objects.count(), 1)

    def test_bad_grants_are_422_naming_the_field_and_nothing_is_written(self) -> None:
        cases = [
            ({"kind": "ownership", "share": 40, "term_years": None}, "share"),  # 70 % + 40 %
            ({"term_years": None}, "term_years"),
            ({"share": "many"}, "share"),
            ({"granted_on": "2025-02-30"}, "granted_on"),
            ({"kind": "lease"}, "kind"),
            ({"salary": 1}, "salary"),
        ]
        for body, field in cases:
            with self.subTest(field):
                response = self.post_grant(self.tto_admin, **body)
                self.assertEqual(response.status_code, 422)
                self.assertIn(field, response.json()["errors"])
        self.assertIn("将超过 100%", self.post_grant(self.tto_admin, **cases[0][0]).json()["detail"])
        self.assertEqual(RightsGrant.objects.count(), 1)
