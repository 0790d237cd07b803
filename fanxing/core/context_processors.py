"""Template context every page needs."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from fanxing.accounts import permissions
from fanxing.core.models import Notice


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
        # the brokerage's pages in the 转化 menu: contracts for members of an organisation (their own, or
        # those their organisation is a party to) and the bureau; the payout ledger for reward readers
        "unread_notices": Notice.objects.filter(user=user, read_at=None).count()
        if user.is_authenticated
        else 0,
        "nav_deals": {
            "contracts": permissions.is_admin(user) or bool(user.is_authenticated and user.organisation_id),
            "payouts": permissions.can_view_rewards(user, getattr(user, "organisation_id", None)),
        },
        # the 统计 menu: the dashboard and indicators for the bureau and the experts, the leaderboards'
        # settings for the bureau
        "nav_reports": {
            "view": permissions.can_view_indicators(user),
            "manage": permissions.can_manage_indicators(user),
        },
    }
