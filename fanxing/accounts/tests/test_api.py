"""API authentication: bearer tokens, sessions with CSRF, anonymous reads."""

import datetime

from django.test import Client
from django.utils import timezone

from fanxing.accounts.models import ApiToken
from fanxing.accounts.services import api_token_create
from fanxing.achievements.models import Achievement
from fanxing.core.workflow import Status
from tests.base import PersonasTestCase, make_achievement

JSON = "application/json"
BODY = {"title": "基于大模型的专利检索方法", "summary": "用大模型改写检索式。", "field": "ai.nlp", "trl": 4}


class TokenTests(PersonasTestCase):
    def setUp(self) -> None:
        self.token, self.key = api_token_create(user=self.tto_staff, name="校办脚本")

    def bearer(self, key: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def test_a_token_identifies_its_user(self) -> None:
        response = self.client.get("/api/v1/me", **self.bearer(self.key))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["username"], "tto_staff")
        self.assertEqual(response.json()["via"], "token")
        self.assertEqual(response.json()["organisation"]["id"], self.qdu.pk)

    def test_a_token_sees_what_its_user_sees(self) -> None:
        draft = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)

        response = self.client.get(f"/api/v1/achievements/{draft.pk}", **self.bearer(self.key))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["contact_name"], "张老师")

    def test_a_token_writes_without_csrf(self) -> None:
        client = Client(enforce_csrf_checks=True)

        response = client.post("/api/v1/achievements", BODY, content_type=JSON, **self.bearer(self.key))

        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Achievement.objects.get().created_by, self.tto_staff)

    def test_a_bad_token_is_401_even_for_reads(self) -> None:
        response = self.client.get("/api/v1/achievements", **self.bearer("fx_not-a-real-key"))

        self.assertEqual(response.status_code, 401)
        self.assertIn("令牌", response.json()["detail"])

    def test_a_header_that_is_not_bearer_is_401(self) -> None:
        response = self.client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {self.key}")

        self.assertEqual(response.status_code, 401)
        self.assertIn("Bearer", response.json()["detail"])

    def test_a_deactivated_users_token_is_401(self) -> None:
        self.tto_staff.is_active = False
        self.tto_staff.save()

        self.assertEqual(self.client.get("/api/v1/me", **self.bearer(self.key)).status_code, 401)

    def test_a_deleted_token_no_longer_works(self) -> None:
        self.token.delete()

        self.assertEqual(self.client.get("/api/v1/me", **self.bearer(self.key)).status_code, 401)

    def test_last_used_is_recorded_at_most_once_a_minute(self) -> None:
        self.client.get("/api/v1/me", **self.bearer(self.key))
        first = ApiToken.objects.get().last_used_at
        self.assertIsNotNone(first)

        self.client.get("/api/v1/me", **self.bearer(self.key))
        self.assertEqual(ApiToken.objects.get().last_used_at, first)

        ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
        self.client.get("/api/v1/me", **self.bearer(self.key))
        self.assertGreater(ApiToken.objects.get().last_used_at, first)


class SessionTests(PersonasTestCase):
    CSRF = "a" * 32

    def setUp(self) -> None:
        self.browser = Client(enforce_csrf_checks=True)
        self.browser.force_login(self.tto_staff)

    def test_a_session_post_without_csrf_is_refused(self) -> None:
        response = self.browser.post("/api/v1/achievements", BODY, content_type=JSON)

        self.assertEqual(response.status_code, 403)
        self.assertIn("CSRF", response.json()["detail"])
        self.assertFalse(Achievement.objects.exists())

    def test_a_session_patch_without_csrf_is_refused(self) -> None:
        record = make_achievement(self.qdu, status=Status.DRAFT, published_at=None)

        response = self.browser.patch(f"/api/v1/achievements/{record.pk}", {"trl": 9}, content_type=JSON)

        self.assertEqual(response.status_code, 403)
        record.refresh_from_db()
        self.assertEqual(record.trl, 6)

    def test_a_session_post_with_the_csrf_token_is_accepted(self) -> None:
        self.browser.cookies["csrftoken"] = self.CSRF

        response = self.browser.post(
            "/api/v1/achievements", BODY, content_type=JSON, HTTP_X_CSRFTOKEN=self.CSRF
        )

        self.assertEqual(response.status_code, 201, response.content)

    def test_session_reads_need_no_csrf(self) -> None:
        response = self.browser.get("/api/v1/me")

        self.assertEqual(response.json()["via"], "session")


class AnonymousTests(PersonasTestCase):
    def test_anonymous_callers_read(self) -> None:
        response = self.client.get("/api/v1/me")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["authenticated"], False)

    def test_anonymous_writes_are_401_with_a_chinese_message(self) -> None:
        response = self.client.post("/api/v1/achievements", BODY, content_type=JSON)

        self.assertEqual(response.status_code, 401)
        self.assertIn("请先登录", response.json()["detail"])
        self.assertFalse(Achievement.objects.exists())
