"""Reads on achievements, with the visibility rules applied."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.achievements.models import Achievement
from fanxing.core.models import Organisation
from fanxing.core.selectors import ListFilters, apply_filters

SORTS = {
    "newest": ("-published_at", "-id"),
    "oldest": ("published_at", "id"),
    "trl_desc": ("-trl", "-published_at", "-id"),
    "trl_asc": ("trl", "-published_at", "-id"),
    "updated": ("-updated_at", "-id"),
}
SORT_LABELS = {
    "newest": "最新发布",
    "oldest": "最早发布",
    "trl_desc": "成熟度从高到低",
    "trl_asc": "成熟度从低到高",
    "updated": "最近更新",
}


def achievement_list(user: AnyUser, filters: ListFilters | None = None) -> QuerySet[Achievement]:
    qs = Achievement.objects.select_related("field", "field__parent", "organisation").prefetch_related("ways")
    return apply_filters(
        qs,
        user,
        filters or ListFilters(),
        text_fields=("title", "summary", "keywords"),
        trl_field="trl",
        sorts=SORTS,
    )
    return qs


def achievement_get(user: AnyUser, pk: int) -> Achievement:
    """The achievement if this user may see it; 404 otherwise (no hint that it exists)."""
    record = (
        Achievement.objects.select_related("field", "field__parent", "organisation", "created_by")
        .prefetch_related("ways", "patents", "team")
        .filter(pk=pk)
        .first()
    )
    if record is None or not permissions.can_view(user, record):
        raise Http404("成果不存在或无权查看")
    return record


def service_ledger(user: AnyUser, organisation: Organisation) -> QuerySet[Achievement]:
    """A university's or institute's ledger of service achievements (单列管理): every achievement of the
    unit, whatever its status, with its grants of rights; for the unit's members and the bureau."""
    if not permissions.can_view_ledger(user, organisation):
        raise PermissionDenied("只有本单位人员和科技局管理员可以查看职务科技成果台账")
    return (
        Achievement.objects.filter(organisation=organisation)
        .select_related("field")
        .prefetch_related("rights_grants")
        .order_by("-created_at", "-pk")
    )
