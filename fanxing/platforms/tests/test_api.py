from fanxing.accounts.services import api_token_create
from fanxing.platforms.models import Platform, PlatformType
from fanxing.platforms.tests.base import PlatformTestCase
from tests.test_permission_matrix import ALL

URL = "/api/v1/platforms"


class PlatformApiTest(PlatformTestCase):
    def headers(self, name: str) -> dict[str, str]:
        if name == "anonymous":
            return {}
        _, key = api_token_create(user=getattr(self, name), name="platforms")
        return {"Authorization": f"Bearer {key}"}

    def body(self, **values: object) -> dict[str, object]:
        return {
            "name": "山东省海洋微生物技术创新中心",
            "level": "provincial",
            "kind": PlatformType.objects.get(name="省技术创新中心").pk,
            "host": self.ouc.pk,
            "recognised_year": 2023,
            "park": self.park.pk,
            "chain": self.chain.pk,
            "fields": ["mbio"],
        } | values

    def test_the_list_filters_and_pages(self) -> None:
        body = self.client.get(URL, {"level": "city", "year": 2025, "page_size": 2}).json()
        self.assertEqual(body["count"], 3)
        self.assertEqual(len(body["items"]), 2)
        body = self.client.get(URL, {"park": self.park.pk}).json()
        self.assertEqual([p["name"] for p in body["items"]], [self.lab.name])
        self.assertEqual(body["items"][0]["chain"], {"id": self.chain.pk, "name": "海洋生物医药"})
        body = self.client.get(URL, {"level": "county", "status": "gone"}).json()
        self.assertEqual(set(body["errors"]), {"level", "status"})

    def test_a_platform_and_the_summary_of_a_year(self) -> None:
        body = self.client.get(f"{URL}/{self.lab.pk}").json()
        self.assertEqual((body["level_label"], body["host"]["name"]), ("国家级", "青岛大学"))
        self.assertEqual(self.client.get(f"{URL}/999999").status_code, 404)
        summary = self.client.get(f"{URL}/summary", {"year": 2022}).json()
        self.assertEqual(summary["city_and_above"], 4)
        self.assertEqual(summary["by_level"]["district"], 1)

    def test_only_the_bureau_records_a_platform(self) -> None:
        for name in ALL:
            with self.subTest(name):
                response = self.client.post(
                    URL,
                    self.body(name=f"平台{name}"),
                    content_type="application/json",
                    headers=self.headers(name),
                )
                expected = 201 if name == "bureau_admin" else (401 if name == "anonymous" else 403)
                self.assertEqual(response.status_code, expected)
        self.assertEqual(list(Platform.objects.filter(name__startswith="平台").values_list("name", flat=True)),
                         ["平台bureau_admin"])  # fmt: skip

    def test_the_host_office_patches_the_description_only(self) -> None:
        url = f"{URL}/{self.lab.pk}"
        for name in ALL:
            with self.subTest(name):
                response = self.client.patch(
                    url, {"description": name}, content_type="application/json", headers=self.headers(name)
                )
                allowed = name in ("bureau_admin", "tto_admin", "tto_staff")
                self.assertEqual(
                    response.status_code, 200 if allowed else (401 if name == "anonymous" else 403)
                )
        response = self.client.patch(
            url, {"level": "district"}, content_type="application/json", headers=self.headers("tto_admin")
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("级别", response.json()["detail"])
        self.lab.refresh_from_db()
        self.assertEqual(self.lab.level, "national")

    def test_bad_input_is_422_naming_each_key(self) -> None:
        headers = self.headers("bureau_admin")
        response = self.client.post(
            URL, self.body(host=999999, fields=["nope"]), content_type="application/json", headers=headers
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.json()["errors"]), {"host", "fields"})
        response = self.client.post(
            URL, self.body(status="revoked"), content_type="application/json", headers=headers
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"], {"revoked_year": ["已撤销的平台须填写撤销年份"]})
        response = self.client.post(
            URL, self.body(colour="red"), content_type="application/json", headers=headers
        )
        self.assertEqual(response.json()["errors"], {"colour": ["不支持该字段"]})
        self.assertFalse(Platform.objects.filter(name=self.body()["name"]).exists())
