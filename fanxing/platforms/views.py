"""Pages of the platform register: the list (filters, counts by level, the park × level table, export),
a platform, its form, the parks and industry chains. Each view checks access, calls a selector or a
service, renders."""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from fanxing.accounts import permissions
from fanxing.core.forms import add_service_error
from fanxing.core.io import export_response, table_response
from fanxing.core.rendering import paginate, query_without_page
from fanxing.core.tabular import Column
from fanxing.platforms import selectors, services
from fanxing.platforms.forms import ChainForm, ParkForm, PlatformFilterForm, PlatformForm, PlatformOfficeForm
from fanxing.platforms.models import IndustryChain, Park
from fanxing.platforms.selectors import CITY_AND_ABOVE_CODE, CITY_AND_ABOVE_LABEL, PlatformFilters

EXPORT_FORMATS = ("xlsx", "csv")


def query_with(request: HttpRequest, **params: Any) -> str:
    """The list's query string with these parameters set (and no page)."""
    query = request.GET.copy()
    for name in ("page", "export", *params):
        query.pop(name, None)
    for name, value in params.items():
        if value not in (None, ""):
            query[name] = str(value)
    return query.urlencode()


def summary(request: HttpRequest, filters: PlatformFilters) -> dict[str, Any]:
    """The counts by level (each a link to the list at that level), the park × level table and the counts
    by type, each under the list's other filters (the strip ignores the level filter, the table the level
    and park filters, the types the type filter), so that every number opens the list it counts."""
    levels = selectors.counts_by_level(selectors.platform_list(replace(filters, level="")))
    city = sum(n for code, _, n in levels if code in selectors.CITY_AND_ABOVE)
    strip = [(CITY_AND_ABOVE_LABEL, city, query_with(request, level=CITY_AND_ABOVE_CODE))]
    strip += [(label, n, query_with(request, level=code)) for code, label, n in levels]
    parks = [
        {
            "park": row.park,
            "cells": [
                (n, query_with(request, park=row.park.pk if row.park else 0, level=code))
                for code, n in row.counts
            ],
            "total": row.total,
            "total_query": query_with(request, park=row.park.pk if row.park else 0),
        }
        for row in selectors.counts_by_park(selectors.platform_list(replace(filters, level="", park=None)))
    ]
    by_kind = selectors.counts_by_kind(selectors.platform_list(replace(filters, kind=None)))
    kinds = [(kind, n, query_with(request, kind=kind.pk)) for kind, n in by_kind]
    return {"strip": strip, "park_rows": parks, "kind_counts": kinds}


def platform_list(request: HttpRequest) -> HttpResponse:
    """The register (public): filtered, summarised, exportable as xlsx or csv."""
    form = PlatformFilterForm(request.GET)
    filters = form.filters()
    qs = selectors.platform_list(filters)
    fmt = request.GET.get("export", "")
    if fmt in EXPORT_FORMATS:
        return export_response("platforms", qs, request.user, fmt)
    context = {
        "form": form,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "total": qs.count(),
        "levels": selectors.Level.choices,
        "can_add": permissions.can_edit_platform(request.user, None),
        "can_import": permissions.can_edit_platform(request.user, None),
        "section": "platforms",
        **summary(request, filters),
    }
    return render(request, "platforms/list.html", context)


def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    platform = selectors.platform_get(pk)
    context = {
        "platform": platform,
        "poc": getattr(platform, "poc", None),
        "can_edit": permissions.can_edit_platform(request.user, platform),
        "section": "platforms",
    }
    return render(request, "platforms/detail.html", context)


@login_required
def platform_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The bureau's full form, or the host office's (description and fields) for its own platform."""
    platform = selectors.platform_get(pk) if pk else None
    if not permissions.can_edit_platform(request.user, platform):
        raise PermissionDenied("只有科技局管理员可以登记创新平台；依托单位只能修改本单位平台的简介和技术领域")
    full = permissions.platform_editable_fields(request.user, platform) is None
    form_class = PlatformForm if full else PlatformOfficeForm
    form = form_class(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.platform_save(by=request.user, fields=form.cleaned_data, platform=platform)  # type: ignore[arg-type]
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "平台信息已保存")
            return redirect("platforms:detail", saved.pk)
    context = {
        "form": form,
        "title": f"修改平台：{platform}" if platform else "登记创新平台",
        "back": reverse("platforms:detail", args=[platform.pk]) if platform else reverse("platforms:list"),
        "note": ""
        if full
        else "依托单位可以修改本单位平台的简介和技术领域；级别、类型、状态等由科技局维护。",
        "section": "platforms",
    }
    return render(request, "platforms/form.html", context)


# Parks and industry chains -----------------------------------------------------------------------------


GROUP_COLUMNS = [
    Column("类别", "kind", width=10),
    Column("名称", "name", width=30),
    Column("主导产业", "theme", width=24),
    Column("设立年份", "established_year", width=10),
    Column("平台数", "platform_count", width=8),
]


def parks(request: HttpRequest) -> HttpResponse:
    """The parks and the industry chains, each with its number of platforms (one sheet, parks first)."""
    park_list, chain_list = selectors.parks(), selectors.chains()
    if request.GET.get("export") == "xlsx":
        rows = [
            *(["专业化园区", p.name, p.theme, p.established_year, p.platform_count] for p in park_list),
            *(["产业链", c.name, "", None, c.platform_count] for c in chain_list),
        ]
        return table_response("专业化园区与产业链", GROUP_COLUMNS, rows)
    context = {
        "parks": park_list,
        "chains": chain_list,
        "query": query_without_page(request),
        "can_edit": permissions.can_edit_parks(request.user),
        "section": "platforms",
    }
    return render(request, "platforms/parks.html", context)


def group_page(request: HttpRequest, group: Park | IndustryChain, filters: PlatformFilters) -> HttpResponse:
    """A park's or a chain's platforms; the export is the register's, of these platforms."""
    qs = selectors.platform_list(filters)
    if request.GET.get("export") == "xlsx":
        return export_response("platforms", qs, request.user)
    is_park = isinstance(group, Park)
    context = {
        "group": group,
        "is_park": is_park,
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "levels": selectors.counts_by_level(qs),
        "list_query": f"park={group.pk}" if is_park else f"chain={group.pk}",
        "can_edit": permissions.can_edit_parks(request.user),
        "section": "platforms",
    }
    return render(request, "platforms/group.html", context)


def park_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return group_page(request, get_object_or_404(Park, pk=pk), PlatformFilters(park=pk))


def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return group_page(request, get_object_or_404(IndustryChain, pk=pk), PlatformFilters(chain=pk))


def group_edit(request: HttpRequest, model: type[Park] | type[IndustryChain], pk: int | None) -> HttpResponse:
    if not permissions.can_edit_parks(request.user):
        raise PermissionDenied("只有科技局管理员可以维护专业化园区和产业链")
    record = get_object_or_404(model, pk=pk) if pk else None
    is_park = model is Park
    form = (ParkForm if is_park else ChainForm)(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            if is_park:
                saved: Any = services.park_save(by=request.user, fields=form.cleaned_data, park=record)  # type: ignore[arg-type]
            else:
                saved = services.chain_save(by=request.user, fields=form.cleaned_data, chain=record)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已保存")
            return redirect("platforms:park" if is_park else "platforms:chain", saved.pk)
    noun = "专业化园区" if is_park else "产业链"
    context = {
        "form": form,
        "title": f"修改{noun}：{record}" if record else f"新建{noun}",
        "back": reverse("platforms:parks"),
        "section": "platforms",
    }
    return render(request, "platforms/form.html", context)


@login_required
def park_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return group_edit(request, Park, pk)


@login_required
def chain_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return group_edit(request, IndustryChain, pk)
