"""View helpers the achievement and demand pages share: detail context, workflow moves, access requests."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from fanxing.accounts import permissions
from fanxing.accounts.selectors import access_request_for
from fanxing.accounts.services import access_request_create
from fanxing.core.auditlog import entries_of
from fanxing.core.forms import add_service_error, error_text
from fanxing.core.models import TrlLevel
from fanxing.core.workflow import MOVES, Status


def detail_context(request: HttpRequest, record: Any) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "record": record,
        "can_edit": permissions.can_edit(user, record),
        "moves": [MOVES[a] for a in permissions.moves_for(user, record)],
        "show_confidential": permissions.can_see_confidential(user, record),
        "can_request_access": permissions.can_request_access(user, record),
        "can_see_recommendations": permissions.can_see_recommendations(user, record),
        "access_request": access_request_for(user, record),  # type: ignore[arg-type]
        "trl_level": TrlLevel.objects.filter(level=getattr(record, "trl", None) or record.min_trl).first(),
    }
    if permissions.can_view_audit(user) or permissions.is_member(user, record.organisation_id):
        context["audit_entries"] = entries_of(record)
    return context


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def move_view(request: HttpRequest, record: Any, action: str, mover: Callable[..., Any]) -> HttpResponse:
    """POST a workflow move; report the outcome as a message and go back where the user came from."""
    label = MOVES[action].label if action in MOVES else action
    try:
        mover(record, action=action, by=request.user, reason=request.POST.get("reason", ""))
    except PermissionDenied as error:
        messages.error(request, str(error) or "无权执行该操作")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已{label}：{record}")
    return redirect(safe_next(request, record.get_absolute_url()))


def access_view(request: HttpRequest, record: Any) -> HttpResponse:
    try:
        access_request_create(by=request.user, record=record, message=request.POST.get("message", ""))  # type: ignore[arg-type]
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "申请已提交，对方同意后即可查看联系方式等保密信息")
    return redirect(record.get_absolute_url())


def edit_view(
    request: HttpRequest,
    *,
    record: Any,
    form_class: type[Any],
    save: Callable[[Any, dict[str, Any]], Any],
    template: str,
    section: str,
) -> HttpResponse:
    """Create (an unsaved `record`) or change a record: check the role, validate the form, call `save`
    (the service, given the existing record or None and the form's arguments), report, redirect."""
    is_new = record.pk is None
    user = request.user
    allowed = (
        permissions.can_create_for(user, user.organisation_id)
        if is_new
        else permissions.can_edit(user, record)
    )
    if not allowed:
        raise PermissionDenied("只能发布或修改本机构的记录")
    was_published = record.status == Status.PUBLISHED
    form = form_class(request.POST or None, instance=record, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            record = save(None if is_new else record, form.service_args())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            reopened = was_published and record.status == Status.SUBMITTED
            messages.success(request, "已保存。" + ("修改已提交重新审核。" if reopened else ""))
            return redirect(record)
    return render(request, template, {"form": form, "record": record, "section": section})
