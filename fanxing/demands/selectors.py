"""Reads on demands, with the visibility rules applied (published demands past their deadline are hidden)."""

from django.db.models import QuerySet
from django.http import Http404

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.selectors import ListFilters, apply_filters
from fanxing.demands.models import Demand

SORTS = {
    "newest": ("-published_at", "-id"),
    "deadline": ("deadline", "-id"),
    "budget": ("-budget_max", "-id"),
    "oldest": ("published_at", "id"),
    "updated": ("-updated_at", "-id"),
}
SORT_LABELS = {
    "newest": "最新发布",
    "deadline": "截止日期临近",
    "budget": "预算从高到低",
    "oldest": "最早发布",
    "updated": "最近更新",
}


def demand_list(user: AnyUser, filters: ListFilters | None = None) -> QuerySet[Demand]:
    qs = Demand.objects.select_related("field", "field__parent", "organisation").prefetch_related("ways")
    return apply_filters(
        qs,
        user,
        filters or ListFilters(),
        text_fields=("title", "problem", "keywords"),
        trl_field="min_trl",
        sorts=SORTS,
        expires=True,
    )
    return qs


def demand_get(user: AnyUser, pk: int) -> Demand:
    record = (
        Demand.objects.select_related("field", "field__parent", "organisation", "created_by")
        .prefetch_related("ways")
        .filter(pk=pk)
        .first()
    )
    if record is None or not permissions.can_view(user, record):
        raise Http404("需求不存在或无权查看")
    return record
