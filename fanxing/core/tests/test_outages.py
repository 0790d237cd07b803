"""The 500 handler: an outage of the database or Redis answers 503 with Retry-After and a message (JSON under
/api/), anything else a plain 500; neither reads the database nor shows a traceback."""

import json

from django.db import OperationalError
from django.test import RequestFactory, SimpleTestCase
from redis.exceptions import ConnectionError as RedisConnectionError

from fanxing.core.outages import server_error


class ServerErrorTest(SimpleTestCase):
    def handled(self, error: Exception, path: str = "/achievements/") -> object:
        try:
            raise error
        except Exception:
            return server_error(RequestFactory().get(path))

    def test_a_database_outage_is_a_503_with_retry_after(self) -> None:
        response = self.handled(OperationalError("connection refused"))
        self.assertEqual(response.status_code, 503)  # type: ignore[attr-defined]
        self.assertEqual(response["Retry-After"], "10")  # type: ignore[index]
        self.assertIn("服务暂时不可用", response.content.decode())  # type: ignore[attr-defined]

    def test_a_redis_outage_under_the_api_is_json(self) -> None:
        response = self.handled(RedisConnectionError("Error 111"), "/api/v1/achievements")
        self.assertEqual(response.status_code, 503)  # type: ignore[attr-defined]
        self.assertIn("暂时无法连接", json.loads(response.content)["detail"])  # type: ignore[attr-defined]

    def test_any_other_error_is_a_plain_500(self) -> None:
        response = self.handled(ValueError("a bug"))
        self.assertEqual(response.status_code, 500)  # type: ignore[attr-defined]
        self.assertNotIn("a bug", response.content.decode())  # type: ignore[attr-defined]
        self.assertFalse(response.has_header("Retry-After"))  # type: ignore[attr-defined]
