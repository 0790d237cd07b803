"""Demand pages: the library list, detail, create and edit, workflow moves, access requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanxing.accounts import permissions
from fanxing.core.forms import ListFilterForm, add_service_error
from fanxing.core.io import export_response
from fanxing.core.models import Organisation
from fanxing.core.record_views import access_view, detail_context, move_view
from fanxing.core.rendering import paginate, query_without_page, render_page
from fanxing.demands import selectors
from fanxing.demands.forms import DemandForm
from fanxing.demands.models import Demand
from fanxing.demands.services import demand_move, demand_save

OWNER_KINDS = [Organisation.Kind.ENTERPRISE]


def demand_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(
        request.GET,
        sorts=selectors.SORT_LABELS,
        organisations=Organisation.objects.filter(kind__in=OWNER_KINDS),
        way_label="合作方式",
    )
    qs = selectors.demand_list(request.user, form.filters())
    if request.GET.get("export") == "xlsx":
        return export_response("demands", qs, request.user)
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "section": "demands",
    }
    return render_page(request, "demands/list.html", context, partial="demands/_results.html")


def demand_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.demand_get(request.user, pk)
    return render(request, "demands/detail.html", detail_context(request, record) | {"section": "demands"})


@login_required
def demand_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    record = selectors.demand_get(request.user, pk) if pk else Demand()
    allowed = (
        permissions.can_edit(request.user, record)
        if pk
        else permissions.can_create_for(request.user, request.user.organisation_id)
    )
    if not allowed:
        raise PermissionDenied("只能发布或修改本机构的需求")
    form = DemandForm(request.POST or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = demand_save(by=request.user, demand=record if pk else None, **form.service_args())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "已保存。" + ("修改已提交重新审核。" if record.status == "submitted" and pk else "")
            )
            return redirect(record)
    return render(request, "demands/form.html", {"form": form, "record": record, "section": "demands"})


@login_required
@require_POST
def demand_move_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    record = selectors.demand_get(request.user, pk)
    return move_view(request, record, action, lambda r, **kw: demand_move(demand=r, **kw))


@login_required
@require_POST
def demand_access(request: HttpRequest, pk: int) -> HttpResponse:
    return access_view(request, selectors.demand_get(request.user, pk))
