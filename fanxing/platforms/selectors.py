"""Reads of the platform register (public: published information, so no visibility rule applies).

The counting rule of the district's figures lives here once: a platform counts among the platforms at
city level and above (市级以上科技创新平台) in year Y when its level is national, provincial or
municipal, it was recognised in Y or before, and it was not revoked by Y (no revoked year, or a later one).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fanxing.platforms.models import IndustryChain, Park, Platform, PlatformType

Level = Platform.Level
CITY_AND_ABOVE = (Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL)
# The level filter takes a level's code or this one for national, provincial and municipal together.
CITY_AND_ABOVE_CODE = "city"
CITY_AND_ABOVE_LABEL = "市级以上"
ALL_STATUSES = "all"


def active_q(year: int) -> Q:
    """Platforms in force in `year`: recognised by then and not revoked by then."""
    return Q(recognised_year__lte=year) & (Q(revoked_year__isnull=True) | Q(revoked_year__gt=year))


def counted_q(year: int) -> Q:
    """The platforms at city level and above (市级以上科技创新平台) of `year`."""
    return Q(level__in=CITY_AND_ABOVE) & active_q(year)


def city_and_above_count(year: int) -> int:
    return Platform.objects.filter(counted_q(year)).count()


@dataclass(frozen=True)
class PlatformFilters:
    """The filters of the register's list, as the page, the API and the export take them."""

    level: str = ""  # a level's code, or "city" for national, provincial and municipal
    kind: int | None = None
    park: int | None = None  # 0: in no park
    chain: int | None = None  # 0: on no chain
    host: int | None = None
    # a status's code; ALL_STATUSES every one; "" those not revoked (with `year`: those in force that year)
    status: str = ""
    year: int | None = None  # in force in that year (the counting rule)
    recognised: int | None = None  # recognised in that year
    q: str = ""


def filter_platforms(qs: QuerySet[Platform], filters: PlatformFilters) -> QuerySet[Platform]:
    if filters.level == CITY_AND_ABOVE_CODE:
        qs = qs.filter(level__in=CITY_AND_ABOVE)
    elif filters.level:
        qs = qs.filter(level=filters.level)
    for name in ("kind", "park", "chain", "host"):
        value = getattr(filters, name)
        if value == 0 and name in ("park", "chain"):
            qs = qs.filter(**{f"{name}__isnull": True})  # 0: in no park, on no chain
        elif value is not None:
            qs = qs.filter(**{f"{name}_id": value})
    if filters.status == ALL_STATUSES:
        pass
    elif filters.status:
        qs = qs.filter(status=filters.status)
    elif filters.year is None:  # the register shows the recognised ones unless asked for revoked ones
        qs = qs.exclude(status=Platform.Status.REVOKED)
    if filters.year is not None:
        qs = qs.filter(active_q(filters.year))
    if filters.recognised is not None:
        qs = qs.filter(recognised_year=filters.recognised)
    for word in filters.q.split():
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(host__name__icontains=word)
            | Q(host__short_name__icontains=word)
            | Q(description__icontains=word)
        )
    return qs


def platform_list(filters: PlatformFilters | None = None) -> QuerySet[Platform]:
    """The register, filtered, with what its rows show loaded."""
    qs = Platform.objects.select_related("kind", "host", "park", "chain").prefetch_related("fields")
    if filters is not None:
        qs = filter_platforms(qs, filters)
    return qs.order_by("level", "name")


def platform_get(pk: int) -> Platform:
    platform = (
        Platform.objects.select_related("kind", "host", "park", "chain", "poc")
        .prefetch_related("fields")
        .filter(pk=pk)
        .first()
    )
    if platform is None:
        raise Http404("创新平台不存在")
    return platform


def counts_by_level(qs: QuerySet[Platform]) -> list[tuple[str, str, int]]:
    """(code, label, count) for every level, in the levels' order (zeros included)."""
    found = dict(qs.order_by().values_list("level").annotate(n=Count("pk")))
    return [(code, str(label), found.get(code, 0)) for code, label in Level.choices]


def counts_by_kind(qs: QuerySet[Platform]) -> list[tuple[PlatformType, int]]:
    """(type, count) for the types that have platforms here, in the types' order."""
    found = dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))
    return [(kind, found[kind.pk]) for kind in PlatformType.objects.all() if kind.pk in found]


@dataclass(frozen=True)
class ParkRow:
    """One row of the park × level table; `park` None is the platforms in no park."""

    park: Park | None
    counts: list[tuple[str, int]]  # (level code, count) in the levels' order
    total: int


def counts_by_park(qs: QuerySet[Platform]) -> list[ParkRow]:
    """Platforms by park and level: a row per park (zeros included), then those in no park if any."""
    cells = Counter(
        {
            (park, level): n
            for park, level, n in qs.order_by().values_list("park", "level").annotate(n=Count("pk"))
        }
    )
    rows = []
    for park in [*Park.objects.all(), None]:
        counts = [(code, cells[(park.pk if park else None, code)]) for code in Level.values]
        total = sum(n for _, n in counts)
        if park is not None or total:
            rows.append(ParkRow(park, counts, total))
    return rows


def parks() -> QuerySet[Park]:
    return Park.objects.annotate(platform_count=Count("platforms")).order_by("pk")


def chains() -> QuerySet[IndustryChain]:
    return IndustryChain.objects.annotate(platform_count=Count("platforms")).order_by("pk")
