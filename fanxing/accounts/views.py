"""Sign in and out, enterprise registration, API tokens, deciding access requests."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fanxing.accounts.forms import RegisterForm
from fanxing.accounts.models import AccessRequest
from fanxing.accounts.services import (
    access_request_decide,
    api_token_create,
    api_token_revoke,
    enterprise_register,
)
from fanxing.core.record_views import safe_next


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
