"""API authentication and who-am-I.

A request is made by one of:
- an API client sending `Authorization: Bearer <key>` (an `ApiToken`); a wrong key is refused with 401;
- a signed-in browser session; writes then need the CSRF token (`X-CSRFToken` header), as in the UI;
- an anonymous visitor, for reads only: writes are refused with 401.
Endpoints get the user as `request.auth` and pass it to the same selectors and services as the UI.
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from fanxing.accounts.models import ApiToken, User
from fanxing.accounts.permissions import AnyUser
from fanxing.core.schemas import OrganisationRef, organisation_ref

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOUCH_EVERY = timedelta(minutes=1)


class ApiAuth(HttpBearer):
    """Bearer token, else the session (CSRF-checked on writes), else anonymous for reads."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "").strip()
        if header:
            scheme, _, key = header.partition(" ")
            if scheme.lower() != self.openapi_scheme:
                raise AuthenticationError(401, "Authorization 请求头格式应为“Bearer <API令牌>”")
            user = self.authenticate(request, key.strip())
            request.user = user
            request.auth_via = "token"  # type: ignore[attr-defined]
            return user
        if request.user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise HttpError(
                    403, "CSRF 校验失败：通过登录会话调用写操作时须在 X-CSRFToken 请求头中携带令牌"
                )
            request.auth_via = "session"  # type: ignore[attr-defined]
            return request.user
        if request.method in SAFE_METHODS:
            request.auth_via = None  # type: ignore[attr-defined]
            return AnonymousUser()
        raise AuthenticationError(401, "请先登录，或在 Authorization 请求头中提供 API 令牌（Bearer）")

    def authenticate(self, request: HttpRequest, token: str) -> User:
        """The token's user; records when the token was last used (at most once a minute)."""
        found = ApiToken.objects.find(token) if token else None
        if found is None:
            raise AuthenticationError(401, "API 令牌无效或已被删除")
        if not found.user.is_active:
            raise AuthenticationError(401, "API 令牌所属账号已停用")
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


router = Router(tags=["账号"])


class MeOut(Schema):
    authenticated: bool
    via: str | None = None
    username: str | None = None
    display_name: str | None = None
    role: str | None = None
    role_label: str | None = None
    organisation: OrganisationRef | None = None
    is_bureau_admin: bool = False


def me_out(user: AnyUser, via: str | None) -> dict[str, Any]:
    if not user.is_authenticated:
        return {"authenticated": False}
    return {
        "authenticated": True,
        "via": via,
        "username": user.username,
        "display_name": str(user),
        "role": user.role,
        "role_label": user.get_role_display(),
        "organisation": organisation_ref(user.organisation) if user.organisation_id else None,
        "is_bureau_admin": user.is_bureau_admin,
    }


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the API takes you for, and how you were recognised (token or session)."""
    return me_out(request.auth, getattr(request, "auth_via", None))  # type: ignore[attr-defined]
