"""Template context every page needs."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from fanxing.accounts import permissions


def platform(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "SITE_NAME": settings.FANXING_SITE_NAME,
        # which people pages the navigation links to (the rules are in accounts.permissions)
        "nav_people": {
            "managers": permissions.can_view_directory(user, "managers"),
            "experts": permissions.can_view_directory(user, "experts"),
            "me": permissions.has_own_profile(user),
        },
    }
