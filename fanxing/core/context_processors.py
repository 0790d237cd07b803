"""Template context every page needs."""

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": settings.FANXING_SITE_NAME}
