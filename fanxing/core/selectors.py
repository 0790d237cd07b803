"""Reads shared by the libraries: the filters a list takes and how they apply; the alliance's activity."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from fanxing.accounts import permissions
from fanxing.accounts.permissions import AnyUser
from fanxing.core.models import AllianceMember, Organisation, TechField


@dataclass(frozen=True)
class ListFilters:
    """What a person can narrow a library list by; the UI form and the API query both produce one."""

    q: str = ""
    field: str = ""  # a TechField code; a top-level code includes its children
    trl_min: int | None = None
    trl_max: int | None = None
    way: str = ""  # a ConversionWay code
    organisation: int | None = None
    status: str = ""
    mine: bool = False
    sort: str = ""


def page_rows(qs: QuerySet[Any], start: int, stop: int) -> list[Any]:
    """The rows start..stop of an ordered queryset: first their ids (a query the listing index answers
    alone, however deep the page), then those rows by primary key, with the queryset's joins and prefetches."""
    ids = list(qs.prefetch_related(None).values_list("pk", flat=True)[start:stop])
    rows = qs.model._default_manager.filter(pk__in=ids).prefetch_related(*qs._prefetch_related_lookups)
    if qs.query.select_related:
        rows = rows.select_related(*related_paths(qs.query.select_related))
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def related_paths(tree: Any, prefix: str = "") -> list[str]:
    """select_related's nested dict ({"field": {"parent": {}}}) as lookups ("field__parent")."""
    if not isinstance(tree, dict):
        return []
    paths = []
    for name, sub in tree.items():
        path = f"{prefix}{name}"
        deeper = related_paths(sub, f"{path}__")
        paths.extend(deeper or [path])
    return paths


class ListPaginator(Paginator):
    """Django's paginator, fetching each page with `page_rows`."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        return self._get_page(page_rows(self.object_list, start, start + self.per_page), number, self)


def field_ids(code: str) -> list[int]:
    """The ids of the field with this code and of its children (resolved first, so lists filter on an index)."""
    return list(TechField.objects.filter(Q(code=code) | Q(parent__code=code)).values_list("id", flat=True))


def apply_filters(
    qs: QuerySet[Any],
    user: AnyUser,
    f: ListFilters,
    *,
    text_fields: tuple[str, ...],
    trl_field: str,
    sorts: dict[str, tuple[str, ...]],
    expires: bool = False,
) -> QuerySet[Any]:
    qs = qs.filter(permissions.visible_q(user, expires=expires))
    if f.q:
        for word in f.q.split():
            term = Q()
            for name in text_fields:
                term |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(term)
    if f.field:
        qs = qs.filter(field_id__in=field_ids(f.field))
    if f.trl_min is not None:
        qs = qs.filter(**{f"{trl_field}__gte": f.trl_min})
    if f.trl_max is not None:
        qs = qs.filter(**{f"{trl_field}__lte": f.trl_max})
    if f.way:  # a subquery rather than a join, so no DISTINCT is needed
        through = qs.model.ways.through
        owner = f"{qs.model._meta.model_name}_id"
        qs = qs.filter(pk__in=through.objects.filter(conversionway__code=f.way).values(owner))
    if f.organisation:
        qs = qs.filter(organisation_id=f.organisation)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.mine:
        qs = qs.filter(organisation_id=user.organisation_id) if user.is_authenticated else qs.none()
    return qs.order_by(*sorts.get(f.sort, next(iter(sorts.values()))))


def organisation_list(*, q: str = "", kind: str = "") -> QuerySet[Organisation]:
    """Organisations are public: their names, kinds, regions and profiles are what a portal shows."""
    qs = Organisation.objects.select_related("region", "region__parent", "region__parent__parent")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


@dataclass(frozen=True)
class MemberActivity:
    """What an alliance member did in a year: achievements and demands it published."""

    member: AllianceMember
    achievements: int
    demands: int

    @property
    def total(self) -> int:
        return self.achievements + self.demands


def alliance_activity(year: int) -> list[MemberActivity]:
    """The members of the alliance at some time in `year`, with what they published that year, most active
    first. (Contracts join when the brokerage records them.)"""
    from fanxing.achievements.models import Achievement
    from fanxing.demands.models import Demand

    start, end = date(year, 1, 1), date(year, 12, 31)
    members = list(
        AllianceMember.objects.filter(joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
        .select_related("organisation")
    )
    ids = [m.organisation_id for m in members]

    def published(model: Any) -> dict[int, int]:
        rows = (
            model.objects.filter(organisation_id__in=ids, published_at__year=year)
            .values("organisation_id")
            .annotate(n=Count("pk"))
        )
        return {row["organisation_id"]: row["n"] for row in rows}

    achievements, demands = published(Achievement), published(Demand)
    activity = [
        MemberActivity(m, achievements.get(m.organisation_id, 0), demands.get(m.organisation_id, 0))
        for m in members
    ]
    return sorted(activity, key=lambda a: (-a.total, a.member.joined_on, a.member.pk))
