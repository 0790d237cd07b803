"""Sign in and out, enterprise registration, API tokens, deciding access requests, an organisation's accounts."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.accounts.forms import MemberForm, RegisterForm
from fanxing.accounts.models import AccessRequest, User
from fanxing.accounts.services import (
    access_request_decide,
    api_token_create,
    api_token_revoke,
    enterprise_register,
    member_create,
    member_set_active,
)
from fanxing.core.forms import add_service_error
from fanxing.core.io import local_minute, table_response
from fanxing.core.models import Organisation
from fanxing.core.record_views import safe_next
from fanxing.core.rendering import query_without_page
from fanxing.core.tabular import Column


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
        try:
            user = enterprise_register(**data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册成功。您可以发布本企业的技术需求；企业信息将由科技局认证。")
            return redirect("core:workspace")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            api_token_revoke(user=request.user, token_id=int(request.POST["revoke"]))  # type: ignore[arg-type]
            messages.success(request, "令牌已吊销")
            return redirect("accounts:tokens")
        _, new_key = api_token_create(user=request.user, name=request.POST.get("name", ""))  # type: ignore[arg-type]
    return render(
        request, "accounts/tokens.html", {"tokens": request.user.api_tokens.all(), "new_key": new_key}
    )


@login_required
@require_POST
def access_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    access_request = get_object_or_404(AccessRequest, pk=pk)
    try:
        access_request_decide(by=request.user, access_request=access_request, grant=decision == "grant")  # type: ignore[arg-type]
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已同意该申请" if decision == "grant" else "已拒绝该申请")
    return redirect(safe_next(request, "/workspace/"))


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's accounts: its admins open new ones and disable old ones."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_manage_members(request.user, organisation.pk):
        raise PermissionDenied("只有本机构管理员可以管理账号")
    accounts = organisation.members.order_by("-is_active", "username")
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return members_export(organisation, accounts)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if "toggle" in request.POST:
            member = get_object_or_404(User, pk=request.POST["toggle"], organisation=organisation)
            try:
                member_set_active(by=request.user, member=member, active=not member.is_active)  # type: ignore[arg-type]
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            return redirect("accounts:members", pk)
        if form.is_valid():
            try:
                member_create(by=request.user, organisation=organisation, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"已开通账号 {form.cleaned_data['username']}")
                return redirect("accounts:members", pk)
    return render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "members": accounts,
            "form": form,
            "query": query_without_page(request),
        },
    )


MEMBER_COLUMNS = [
    Column("用户名", "username", width=16),
    Column("姓名", "display_name", width=14),
    Column("角色", "role", width=14),
    Column("状态", "is_active", width=8),
    Column("最近登录", "last_login", width=18),
]


def members_export(organisation: Organisation, accounts: QuerySet[User]) -> HttpResponse:
    rows = (
        [
            m.username,
            m.display_name,
            m.get_role_display(),
            "启用" if m.is_active else "停用",
            local_minute(m.last_login),
        ]
        for m in accounts
    )
    return table_response(f"{organisation.name} 账号", MEMBER_COLUMNS, rows)
