"""When PostgreSQL or Redis is away: requests fail cleanly and the platform recovers by itself.

Django turns an exception it did not expect into the 500 handler, wherever it arose (a view, a
middleware reading the session). `server_error` is that handler: when the exception says the database or
Redis cannot be reached, it answers 503 with Retry-After and a short message, as JSON under /api/ and as a
page that needs neither (no template reading the database); anything else is an ordinary 500. Nothing is
half-written: every write runs in one transaction, which the database rolls back when the connection
drops. When the service is back the next request reconnects (Django opens a connection per request, or
after FANXING_DB_CONN_MAX_AGE, and checks a kept one with CONN_HEALTH_CHECKS; Redis clients reconnect).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = "10"
PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{title}</title>
<body style="font-family:sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#223">
<h1 style="font-size:1.4rem">{title}</h1><p>{message}</p><p><a href="/">返回首页</a></p></body></html>"""


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    if isinstance(error, OUTAGES):
        logger.error("service unavailable: %s: %s", type(error).__name__, error)
        title, message, status = (
            "服务暂时不可用",
            "数据库或缓存服务暂时无法连接，请稍后重试。您的操作没有被部分保存。",
            503,
        )
    else:
        title, message, status = "服务器出错", "处理请求时出错，已记录。请稍后重试，或联系平台管理员。", 500
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(PAGE.format(title=title, message=message), status=status)
    if status == 503:
        response["Retry-After"] = RETRY_AFTER
    return response
