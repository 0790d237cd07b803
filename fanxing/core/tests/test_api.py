"""The organisations and reference-data API, and the API's schema and documentation."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanxing.core.models import AuditEntry, Organisation
from fanxing.core.validators import uscc_check_char
from tests.base import PersonasTestCase, make_organisation

JSON = "application/json"
URL = "/api/v1/organisations"


def valid_uscc(body: str = "91370212MA3C1234") -> str:
    first17 = body + "5"
    return first17 + uscc_check_char(first17)


def new_organisation(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "青岛蓝海生物科技有限公司",
        "kind": "enterprise",
        "uscc": valid_uscc(),
        "region": "370212",
    } | overrides


class OrganisationReadTests(PersonasTestCase):
    def test_anyone_lists_organisations(self) -> None:
        response = self.client.get(URL)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.json()), {"count", "items"})
        self.assertEqual(response.json()["count"], Organisation.objects.count())

    def test_the_list_filters_by_name_and_kind(self) -> None:
        self.assertEqual(self.client.get(URL, {"q": "海洋"}).json()["items"][0]["name"], "中国海洋大学")
        self.assertEqual(self.client.get(URL, {"kind": "enterprise"}).json()["count"], 2)

    def test_the_detail_shows_the_region_and_kind(self) -> None:
        data = self.client.get(f"{URL}/{self.qdu.pk}").json()

        self.assertEqual((data["name"], data["kind"], data["kind_label"]), ("青岛大学", "university", "高校"))
        self.assertEqual(
            data["region"], {"code": "370212", "name": "崂山区", "full_name": "山东省青岛市崂山区"}
        )

    def test_an_unknown_organisation_is_404(self) -> None:
        response = self.client.get(f"{URL}/99999")

        self.assertEqual((response.status_code, response.json()["detail"]), (404, "机构不存在"))

    def test_the_list_uses_a_fixed_number_of_queries(self) -> None:
        def count_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.client.get(URL, {"page_size": 100})
            return len(queries)

        before = count_queries()
        for i in range(30):
            make_organisation(f"测试机构{i}")

        self.assertEqual(count_queries(), before)


class OrganisationWriteTests(PersonasTestCase):
    def test_bureau_admins_create_organisations(self) -> None:
        self.login(self.bureau_admin)

        response = self.client.post(URL, new_organisation(verified=True), content_type=JSON)

        self.assertEqual(response.status_code, 201, response.content)
        org = Organisation.objects.get(pk=response.json()["id"])
        self.assertEqual((org.region.code, org.verified), ("370212", True))
        self.assertTrue(AuditEntry.objects.filter(object_id=org.pk, action="create").exists())

    def test_others_cannot_create_organisations(self) -> None:
        self.assertEqual(self.client.post(URL, new_organisation(), content_type=JSON).status_code, 401)
        for user in (self.tto_admin, self.enterprise_user, self.manager):
            self.login(user)
            self.assertEqual(self.client.post(URL, new_organisation(), content_type=JSON).status_code, 403)
        self.assertFalse(Organisation.objects.filter(name="青岛蓝海生物科技有限公司").exists())

    def test_an_organisation_admin_changes_their_own_organisation_but_not_its_verification(self) -> None:
        self.login(self.tto_admin)

        response = self.client.patch(
            f"{URL}/{self.qdu.pk}", {"short_name": "青大", "verified": True}, content_type=JSON
        )

        self.assertEqual(response.status_code, 200, response.content)
        self.qdu.refresh_from_db()
        self.assertEqual(
            (self.qdu.short_name, self.qdu.verified, self.qdu.kind), ("青大", False, "university")
        )

    def test_an_organisation_admin_cannot_change_another_organisation(self) -> None:
        self.login(self.tto_admin)

        response = self.client.patch(f"{URL}/{self.ouc.pk}", {"short_name": "海大"}, content_type=JSON)

        self.assertEqual(response.status_code, 403)
        self.ouc.refresh_from_db()
        self.assertEqual(self.ouc.short_name, "")

    def test_staff_cannot_change_their_organisation(self) -> None:
        self.login(self.tto_staff)

        self.assertEqual(
            self.client.patch(f"{URL}/{self.qdu.pk}", {"short_name": "x"}, content_type=JSON).status_code, 403
        )

    def test_bureau_admins_change_any_organisation(self) -> None:
        self.login(self.bureau_admin)

        response = self.client.patch(f"{URL}/{self.ouc.pk}", {"verified": True}, content_type=JSON)

        self.assertEqual(response.json()["verified"], True)

    def test_it_refuses_a_bad_credit_code_or_region_naming_the_field(self) -> None:
        self.login(self.bureau_admin)
        count = Organisation.objects.count()

        for body, key in (
            (new_organisation(uscc=valid_uscc()[:17] + "0"), "uscc"),
            (new_organisation(region="999999"), "region"),
            (new_organisation(kind="club"), "kind"),
            (new_organisation(name="青岛大学"), "name"),
        ):
            with self.subTest(key=key):
                response = self.client.post(URL, body, content_type=JSON)
                self.assertEqual(response.status_code, 422, response.content)
                self.assertIn(key, response.json()["errors"])
        self.assertEqual(Organisation.objects.count(), count)


class ReferenceDataTests(PersonasTestCase):
    def test_fields_are_a_two_level_tree(self) -> None:
        tree = {node["code"]: node for node in self.client.get("/api/v1/fields").json()}

        self.assertEqual(tree["marine"]["name"], "海洋科学与工程")
        self.assertIn(
            {"code": "marine.fishery", "name": "水产养殖与渔业", "children": []}, tree["marine"]["children"]
        )

    def test_ways_trl_levels_and_regions(self) -> None:
        ways = [w["code"] for w in self.client.get("/api/v1/ways").json()]
        levels = self.client.get("/api/v1/trl-levels").json()
        districts = self.client.get("/api/v1/regions", {"parent": "370200"}).json()

        self.assertEqual(
            ways, ["transfer", "licence", "equity", "joint", "self", "development", "service", "other"]
        )
        self.assertEqual([t["level"] for t in levels], list(range(1, 10)))
        self.assertIn("崂山区", [d["name"] for d in districts])
        self.assertTrue(all(d["parent"] == "370200" for d in districts))


class SchemaTests(PersonasTestCase):
    def test_the_openapi_schema_builds(self) -> None:
        response = self.client.get("/api/v1/openapi.json")

        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for path in (
            "/api/v1/achievements",
            "/api/v1/achievements/{achievement_id}/return",
            "/api/v1/demands",
            "/api/v1/organisations/{organisation_id}",
            "/api/v1/fields",
            "/api/v1/me",
        ):
            self.assertIn(path, paths)
        self.assertIn("bearer", str(response.json()["components"]["securitySchemes"]).lower())

    def test_the_docs_page_is_served(self) -> None:
        self.assertEqual(self.client.get("/api/v1/docs").status_code, 200)

    def test_bad_query_parameters_get_chinese_messages_naming_them(self) -> None:
        response = self.client.get("/api/v1/achievements", {"trl_min": "高", "page": 0})

        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"], {"trl_min": ["应为整数"], "page": ["不能小于 1"]})

    def test_a_body_that_is_not_json_is_400_with_a_chinese_message(self) -> None:
        self.login(self.tto_staff)

        response = self.client.post("/api/v1/achievements", "{not json", content_type=JSON)

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["detail"], "请求体不是有效的 JSON")
