"""The one place that decides between a full page and an HTMX partial, and how lists paginate."""

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanxing.core.selectors import ListPaginator


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], partial: str | None = None
) -> HttpResponse:
    """Render the partial for HTMX requests that target it, the full page otherwise."""
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, partial, context)
    return render(request, template, context)


def paginate(request: HttpRequest, qs: Any, per_page: int | None = None) -> Page:
    size = per_page or settings.FANXING_PAGE_SIZE
    paginator_class = ListPaginator if isinstance(qs, QuerySet) else Paginator
    return paginator_class(qs, size).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()
