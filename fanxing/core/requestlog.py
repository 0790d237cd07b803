"""One log record per request on the "fanxing.request" logger: method, path, status, duration, user.

The production profile formats it as a JSON line (python-json-logger, settings.LOGGING); the embedded
default as a line of text. Successful requests are INFO, 4xx WARNING, 5xx ERROR with the exception and
its traceback; the probes' answers (/healthz, /readyz) are DEBUG unless they fail, so a load balancer
polling every few seconds does not fill the log.

The user is the one the request already looked up: a request that never touched `request.user` (a
static file, a probe) is logged without one rather than paying a session and a user query for the log.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import empty

logger = logging.getLogger("fanxing.request")
PROBES = ("/healthz", "/readyz")


class RequestLogMiddleware:
    """Outermost middleware: times the whole stack and logs the request once its response is ready."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        log_request(request, response.status_code, duration_ms)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Keep the view's exception for the log line; Django still turns it into the 500 page."""
        request._fanxing_exception = exception  # type: ignore[attr-defined]


def log_request(request: HttpRequest, status: int, duration_ms: float) -> None:
    exception: Exception | None = getattr(request, "_fanxing_exception", None)
    fields: dict[str, Any] = {
        "method": request.method,
        "path": request.path,
        "status": status,
        "duration_ms": duration_ms,
        "user_id": user_id(request),
    }
    if exception is not None:
        fields["exception"] = f"{type(exception).__name__}: {exception}"
    message = f"{request.method} {request.path} {status} {duration_ms}ms"
    if status >= 500:
        exc_info = (type(exception), exception, exception.__traceback__) if exception else None
        logger.error(message, extra=fields, exc_info=exc_info)
    elif status >= 400:
        logger.warning(message, extra=fields)
    else:
        logger.log(logging.DEBUG if request.path in PROBES else logging.INFO, message, extra=fields)


def user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id if the request has looked the user up already, else None."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None
