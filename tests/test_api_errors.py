"""The API's answers to odd input, each a class of failure the schema fuzzing (test_api_fuzz.py) found:
numbers too large for a date, the database or a decimal, addresses that match no operation, bodies that
are not JSON, and error statuses the schema did not document."""

from typing import Any

from django.core.exceptions import ValidationError
from django.test import Client

from fanxing.accounts.services import api_token_create
from fanxing.deals.services.rewards import team_check
from fanxing.events.tests.factories import make_event
from tests.base import PersonasTestCase, make_achievement

HUGE = "-302826536853233655867244544"
JSON = "application/json; charset=utf-8"


class ApiErrorTests(PersonasTestCase):
    def setUp(self) -> None:
        _, key = api_token_create(user=self.bureau_admin, name="tests")
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def errors(self, url: str) -> dict[str, Any]:
        response = self.client.get(url, **self.auth)
        self.assertEqual(response.status_code, 422, response.content)
        return response.json()["errors"]

    def test_a_year_out_of_range_is_refused_naming_the_range(self) -> None:
        self.assertEqual(self.errors(f"/api/v1/rewards/payouts?year={HUGE}"), {"year": ["不能小于 1949"]})
        self.assertEqual(self.errors("/api/v1/contracts?year=99999999999"), {"year": ["不能大于 2100"]})
        self.assertIn("year", self.errors("/api/v1/platforms/summary?year=10000"))
        self.assertIn("recognised", self.errors(f"/api/v1/platforms?recognised={HUGE}"))

    def test_an_id_too_large_for_the_database_is_refused_in_a_filter_or_a_body(self) -> None:
        self.assertEqual(
            self.errors("/api/v1/contracts?organisation=46195096075276791087890432"),
            {"organisation": [f"不能大于 {2**63 - 1}"]},
        )
        self.assertEqual(self.errors(f"/api/v1/leads?manager={HUGE}"), {"manager": ["不能小于 0"]})
        event = make_event(self.bureau)
        response = self.client.post(
            f"/api/v1/events/{event.pk}/registrations",
            {"achievements": [-528634552313602310144]},
            content_type="application/json",
            **self.auth,
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(list(response.json()["errors"]), ["achievements.0"])

    def test_a_contribution_too_large_for_a_decimal_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            team_check([("张三", 5.16110939667932e173)])
        self.assertIn("不能超过 100%", caught.exception.message_dict["members"][0])

    def test_a_page_past_the_last_possible_is_refused(self) -> None:
        self.assertEqual(
            self.errors("/api/v1/organisations?page=14038625844546836480"), {"page": ["不能大于 100000"]}
        )

    def test_an_address_that_matches_no_operation_is_a_json_404(self) -> None:
        response = self.client.get("/api/v1/achievements/null,null")
        self.assertEqual((response.status_code, response["Content-Type"]), (404, JSON))
        self.assertIn("接口地址不存在", response.json()["detail"])
        browser = Client(enforce_csrf_checks=True)  # a session write without a CSRF token: not a 403 page
        browser.force_login(self.tto_staff)
        response = browser.post("/api/v1/demands/abc/submit")
        self.assertEqual((response.status_code, response["Content-Type"]), (404, JSON))

    def test_an_id_too_large_for_the_database_is_not_found(self) -> None:
        make_achievement(self.qdu)
        response = self.client.get("/api/v1/achievements/99999999999999999999999999", **self.auth)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "成果不存在或无权查看"})

    def test_a_body_that_is_not_json_is_a_400_in_json(self) -> None:
        response = self.client.post(
            "/api/v1/demands", data=b"\x00", content_type="application/json", **self.auth
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"detail": "请求体不是有效的 JSON"})

    def test_the_schema_documents_each_operations_errors(self) -> None:
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        documented = {
            (method, path): sorted(operation["responses"])
            for path, operations in paths.items()
            for method, operation in operations.items()
        }
        self.assertEqual(documented["get", "/api/v1/fields"], ["200", "401", "403"])
        self.assertEqual(documented["get", "/api/v1/achievements"], ["200", "401", "403", "422"])
        self.assertEqual(
            documented["get", "/api/v1/achievements/{achievement_id}"], ["200", "401", "403", "404", "422"]
        )
        self.assertEqual(documented["post", "/api/v1/demands"], ["201", "400", "401", "403", "404", "422"])
        error = paths["/api/v1/demands"]["post"]["responses"]["422"]["content"]["application/json"]
        self.assertEqual(error["schema"], {"$ref": "#/components/schemas/ErrorOut"})
