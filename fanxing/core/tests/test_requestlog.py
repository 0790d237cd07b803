"""A request is logged once, as one JSON line with its method, path, status, duration and user, and the
exception when it failed; the formatter is the production profile's (settings.LOGGING["formatters"])."""

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from logging.config import DictConfigurator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import TestCase, override_settings
from django.urls import path

from fanxing.accounts.models import Role
from tests.base import make_user


def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username())


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("数据坏了")


urlpatterns = [path("whoami/", whoami), path("plain/", plain), path("boom/", boom)]


@contextmanager
def json_lines(formatter: str = "json") -> Iterator[list[dict[str, Any]]]:
    """The request log's records of the block, formatted by the settings' formatter and parsed back."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        DictConfigurator({}).configure_formatter(dict(settings.LOGGING["formatters"][formatter]))
    )
    logger = logging.getLogger("fanxing.request")
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


@override_settings(ROOT_URLCONF=__name__)
class RequestLogTest(TestCase):
    def test_a_request_is_one_json_line_with_its_method_path_status_duration_and_user(self) -> None:
        user = make_user("manager", Role.MANAGER)
        self.client.force_login(user)
        with json_lines() as lines:
            self.client.get("/whoami/")
        self.assertEqual(len(lines), 1)
        line = lines[0]
        self.assertEqual((line["method"], line["path"], line["status"]), ("GET", "/whoami/", 200))
        self.assertEqual(line["user_id"], user.pk)
        self.assertIsInstance(line["duration_ms"], float)
        self.assertEqual((line["level"], line["logger"]), ("INFO", "fanxing.request"))
        self.assertIn("time", line)
        self.assertNotIn("exception", line)

    def test_a_failing_request_is_logged_as_an_error_with_its_exception(self) -> None:
        self.client.raise_request_exception = False
        with json_lines() as lines:
            response = self.client.post("/boom/")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(len(lines), 1)
        line = lines[0]
        self.assertEqual((line["level"], line["method"], line["status"]), ("ERROR", "POST", 500))
        self.assertEqual(line["exception"], "RuntimeError: 数据坏了")
        self.assertIn("Traceback", line["exc_info"])
        self.assertIsNone(line["user_id"])

    def test_a_request_that_never_asks_for_its_user_is_logged_without_one_at_no_query(self) -> None:
        self.client.force_login(make_user("expert", Role.EXPERT))
        with json_lines() as lines, self.assertNumQueries(0):
            self.client.get("/plain/")
        self.assertEqual((lines[0]["status"], lines[0]["user_id"]), (200, None))
