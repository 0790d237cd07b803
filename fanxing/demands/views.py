"""Demand pages: the library list, detail, create and edit, workflow moves, access requests."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from fanxing.core.forms import ListFilterForm
from fanxing.core.io import export_response
from fanxing.core.models import Organisation
from fanxing.core.record_views import access_view, detail_context, edit_view, move_view
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
    return edit_view(
        request,
        record=record,
        form_class=DemandForm,
        save=lambda existing, args: demand_save(by=request.user, demand=existing, **args),
        template="demands/form.html",
        section="demands",
    )


@login_required
@require_POST
def demand_move_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    record = selectors.demand_get(request.user, pk)
    return move_view(request, record, action, lambda r, **kw: demand_move(demand=r, **kw))


@login_required
@require_POST
def demand_access(request: HttpRequest, pk: int) -> HttpResponse:
    return access_view(request, selectors.demand_get(request.user, pk))
