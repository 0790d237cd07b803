"""The address of the person behind a request, through the reverse proxies in front of gunicorn.

Behind nginx or a load balancer every request comes from the proxy's address. Each proxy appends the
address it received the request from to X-Forwarded-For, so with FANXING_PROXY_COUNT proxies in front
(1 for nginx, 2 for a load balancer and nginx) the client is that many entries from the end; entries
before it are whatever the client sent and are not trusted. django-axes locks failed logins by
username and this address (settings.AXES_CLIENT_IP_CALLABLE).
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR without proxies, else the entry the nearest proxies vouch for."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.FANXING_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies <= 0 or not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
