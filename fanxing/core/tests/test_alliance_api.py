"""The alliance API: GET /alliance for signed-in users, PUT /alliance/{organisation} for the bureau."""

from typing import Any

from fanxing.core.models import AllianceMember
from fanxing.core.tests.test_alliance_pages import AlliancePagesTestCase

JSON = "application/json"
URL = "/api/v1/alliance"


class AllianceApiTest(AlliancePagesTestCase):
    def put(self, user: Any, organisation: Any, **body: Any) -> Any:
        self.login(user)
        return self.client.put(
            f"{URL}/{organisation.pk}",
            {"role": "council", "joined_on": "2025-06-01"} | body,
            content_type=JSON,
        )

    def test_signed_in_users_read_a_years_members_and_their_activity(self) -> None:
        self.login(self.outsider)
        data = self.client.get(URL).json()
        self.assertEqual(data["year"], self.year)
        self.assertEqual(
            [
                (m["organisation"]["name"], m["role"], m["achievements"], m["demands"])
                for m in data["members"]
            ],
            [("青岛大学", "chair", 2, 0), ("青岛海川科技有限公司", "member", 0, 1)],
        )
        earlier = self.client.get(URL, {"year": self.year - 2}).json()
        self.assertEqual([m["organisation"]["id"] for m in earlier["members"]], [self.ouc.pk, self.qdu.pk])

    def test_visitors_get_401_and_a_bad_year_422(self) -> None:
        self.assertEqual(self.client.get(URL).status_code, 401)
        self.login(self.tto_staff)
        for year in ("1999", str(self.year + 1), "abc"):
            with self.subTest(year):
                response = self.client.get(URL, {"year": year})
                self.assertEqual(response.status_code, 422)
                self.assertIn("year", response.json()["errors"])

    def test_only_the_bureau_admits_and_changes_members(self) -> None:
        for user in (self.tto_admin, self.enterprise_user, self.manager):
            with self.subTest(user.username):
                self.assertEqual(self.put(user, self.other_enterprise).status_code, 403)
        self.assertFalse(AllianceMember.objects.filter(organisation=self.other_enterprise).exists())
        response = self.put(self.bureau_admin, self.other_enterprise)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["role_label"], "理事单位")
        response = self.put(self.bureau_admin, self.other_enterprise, left_on="2025-01-01")
        self.assertEqual(response.status_code, 422)
        self.assertIn("left_on", response.json()["errors"])
        self.assertIsNone(AllianceMember.objects.get(organisation=self.other_enterprise).left_on)
