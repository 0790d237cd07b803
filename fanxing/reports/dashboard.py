"""Reads of the bureau's dashboard: headline figures, five-year trends, breakdowns of a year's records (by
technical field, contract type, organisation, park) and each target's progress month by month.

Every number here is counted from the same records a figure's drill-down lists: a breakdown's cell is a
slice of a computed indicator's records (`sliced`), so its drill-down lists exactly what the cell counts."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from fanxing.core.models import TechField
from fanxing.deals.models import ContractKind
from fanxing.reports import selectors as s
from fanxing.reports.formulas import BY_CODE, Period
from fanxing.reports.models import Indicator, IndicatorValue, Leaderboard

HEADLINES = (
    "fanxing.achievements_published",
    "fanxing.demands_published",
    "fanxing.events",
    "fanxing.managers_trained",
    "fanxing.institutions_converted",
    "contracts.all.projects",
    "contracts.all.amount",
    "platforms.city_level_and_above",
    "fanxing.poc_platforms",
)
COUNT_TRENDS = (
    "fanxing.achievements_published",
    "fanxing.demands_published",
    "fanxing.events",
    "contracts.all.projects",
    "contracts.transfer_license.projects",
    "platforms.city_level_and_above",
)
AMOUNT_TRENDS = ("contracts.all.amount", "contracts.transfer_license.amount", "contracts.registered.amount")
SPAN = 5  # years in a trend
LEVELS = (("national", "国家级"), ("provincial", "省级"), ("municipal", "市级"))
LEVEL_CODES = {
    "national": "platforms.national",
    "provincial": "platforms.provincial",
    "municipal": "platforms.municipal",
}


def default_year(today: datetime.date | None = None) -> int:
    """The latest year with a leaderboard, else the current year."""
    latest = Leaderboard.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or (today or timezone.localdate()).year


def years_offered(today: datetime.date | None = None) -> list[int]:
    """The years the year selector offers, newest first: the last five and every leaderboard's."""
    current = (today or timezone.localdate()).year
    years = set(range(current - SPAN + 1, current + 1))
    years.update(Leaderboard.objects.values_list("year", flat=True))
    return sorted(years, reverse=True)


def indicators_by_code(codes: tuple[str, ...]) -> list[Indicator]:
    """These indicators in this order (those not defined are left out)."""
    found = {i.code: i for i in s.indicator_list().filter(code__in=codes)}
    return [found[code] for code in codes if code in found]


def headlines(year: int) -> list[s.Figure]:
    return s.figures(year, indicators=indicators_by_code(HEADLINES))


# Trends ------------------------------------------------------------------------------------------------------


def value_for(indicator: Indicator, period: Period) -> Decimal | None:
    """A figure's value alone, without last year's (a computed one costs one query)."""
    if indicator.kind == Indicator.Kind.COMPUTED:
        return s.measured(BY_CODE[indicator.formula], s.records_of(indicator, period))
    return s.figure(indicator, period.year, period=period).value


@dataclass
class Series:
    indicator: Indicator
    points: list[tuple[int, Decimal | None]]  # (year, value)


def periods(year: int, span: int = SPAN) -> list[Period]:
    """The periods of the `span` years up to `year`, oldest first."""
    return [s.period_for(y) for y in range(year - span + 1, year + 1)]


def trend(indicator: Indicator, year: int, spans: list[Period] | None = None) -> Series:
    """The indicator's value in each of the five years up to `year` (each over its own period)."""
    return Series(indicator, [(p.year, value_for(indicator, p)) for p in spans or periods(year)])


def trends(year: int, codes: tuple[str, ...]) -> list[Series]:
    spans = periods(year)
    return [trend(i, year, spans) for i in indicators_by_code(codes)]


def chart_of(series: list[Series], kind: str = "line") -> dict[str, Any]:
    """The data charts.js draws: categories and one series per indicator (numbers as floats)."""
    categories = [str(y) for y, _ in series[0].points] if series else []
    return {
        "type": kind,
        "categories": categories,
        "series": [
            {"name": f"{x.indicator.name}（{x.indicator.unit}）", "data": [_num(v) for _, v in x.points]}
            for x in series
        ],
    }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# Slices: a breakdown's cell as a subset of a computed indicator's records ----------------------------------


@dataclass(frozen=True)
class Slice:
    label: str  # what the dimension is called
    models: tuple[str, ...]  # the records it applies to
    narrow: Callable[[QuerySet[Any], str], QuerySet[Any]]
    name: Callable[[str], str]  # the value's name


def _field_name(code: str) -> str:
    return TechField.objects.filter(code=code).values_list("name", flat=True).first() or code


def _park(qs: QuerySet[Any], value: str) -> QuerySet[Any]:
    if value == "none":
        return qs.filter(park__isnull=True)
    return qs.filter(park_id=int(value)) if value.isdigit() else qs.none()


def _park_name(value: str) -> str:
    from fanxing.platforms.models import Park

    if value == "none":
        return "未入驻园区"
    found = Park.objects.filter(pk=int(value)).first() if value.isdigit() else None
    return found.name if found else value


SLICES: dict[str, Slice] = {
    "field": Slice(
        "技术领域",
        ("achievements.achievement", "demands.demand"),
        lambda qs, v: qs.filter(Q(field__code=v) | Q(field__parent__code=v)),
        _field_name,
    ),
    "kind": Slice(
        "合同类型",
        ("deals.techcontract",),
        lambda qs, v: qs.filter(kind=v),
        lambda v: dict(ContractKind.choices).get(v, v),
    ),
    "park": Slice("所在园区", ("platforms.platform",), _park, _park_name),
}


def sliced(indicator: Indicator, period: Period, dimension: str, value: str) -> QuerySet[Any] | None:
    """The records of a computed indicator in one cell of a breakdown, or None when the dimension does not
    apply to what the indicator counts."""
    found = SLICES.get(dimension)
    if indicator.kind != Indicator.Kind.COMPUTED or found is None:
        return None
    records = s.records_of(indicator, period)
    if records.model._meta.label_lower not in found.models:
        return None
    return found.narrow(records, value)


def slice_value(indicator: Indicator, records: QuerySet[Any]) -> Decimal:
    return s.measured(BY_CODE[indicator.formula], records)


# Breakdowns --------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    label: str
    value: Decimal
    key: str  # the figure whose records it slices
    dimension: str = ""  # with `slice`: the slice of them ("" for the whole figure)
    slice: str = ""
    amount: Decimal | None = None
    organisation_id: int | None = None  # a row of organisations: whose figures page it opens


def year_records(code: str, year: int) -> tuple[Indicator, QuerySet[Any]] | None:
    """A computed indicator and the records its figure counts in the year, unordered for grouping."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None
    return indicator, s.records_of(indicator, s.period_for(year)).order_by()


def by_field(year: int) -> list[Cell]:
    """Achievements published in the year by top-level technical field, most first."""
    found = year_records("fanxing.achievements_published", year)
    if found is None:
        return []
    indicator, records = found
    rows = records.values(
        "field__code", "field__name", "field__parent__code", "field__parent__name"
    ).annotate(n=Count("pk"))
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        top = (row["field__parent__code"], row["field__parent__name"])
        if top[0] is None:
            top = (row["field__code"], row["field__name"])
        counts[top] = counts.get(top, 0) + row["n"]
    return [
        Cell(name, Decimal(n), indicator.code, "field", code)
        for (code, name), n in sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    ]


def by_contract_kind(year: int) -> list[Cell]:
    """Contracts signed in the year by type: how many and their amount (万元)."""
    found = year_records("contracts.all.amount", year)
    if found is None:
        return []
    indicator, records = found
    rows = records.values("kind").annotate(n=Count("pk"), amount=Sum("amount"))
    labels = dict(ContractKind.choices)
    found = {row["kind"]: row for row in rows}
    return [
        Cell(label, Decimal(found[kind]["n"]), indicator.code, "kind", kind, _money(found[kind]["amount"]))
        for kind, label in labels.items()
        if kind in found
    ]


def top_organisations(year: int, limit: int = 10) -> list[Cell]:
    """The organisations with the largest amount of contracts signed in the year; each links to its own
    contracts.all.amount figure."""
    found = year_records("contracts.all.amount", year)
    if found is None:
        return []
    indicator, records = found
    rows = s.contracts_by_organisation(records).order_by("-total", "name")[:limit]
    rest = indicator.code.split(".", 1)[1]
    return [
        Cell(
            row["name"],
            Decimal(row["projects"]),
            f"{s.organisation_key_of(row['code'], row['organisation'])}.{rest}",
            amount=_money(row["total"]),
            organisation_id=row["organisation"],
        )
        for row in rows
    ]


def _money(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class ParkRow:
    label: str
    slice: str  # the park's id, or "none"
    cells: list[Cell]

    @property
    def total(self) -> int:
        return int(sum(c.value for c in self.cells))


def by_park(year: int) -> list[ParkRow]:
    """Platforms at city level and above in the year, by park × level (a park with none is left out)."""
    from fanxing.platforms.models import Park

    period = s.period_for(year)
    levels = {i.code: i for i in s.indicator_list().filter(code__in=LEVEL_CODES.values())}
    counts: dict[tuple[str, str], int] = {}
    for level, code in LEVEL_CODES.items():
        if code not in levels:
            continue
        rows = s.records_of(levels[code], period).order_by().values("park").annotate(n=Count("pk"))
        for row in rows:
            counts[(str(row["park"] or "none"), level)] = row["n"]
    parks = [(str(p.pk), p.name) for p in Park.objects.order_by("pk")] + [("none", "未入驻园区")]
    table = []
    for value, name in parks:
        cells = [
            Cell(label, Decimal(counts.get((value, level), 0)), LEVEL_CODES[level], "park", value)
            for level, label in LEVELS
        ]
        if any(c.value for c in cells):
            table.append(ParkRow(name, value, cells))
    return table


# In-year progress (执行) --------------------------------------------------------------------------------------


def month_ends(period: Period, today: datetime.date | None = None) -> list[datetime.date]:
    """The end of each month of the period gone by today (the period's end for its last month)."""
    last = min(period.end, today or timezone.localdate())
    ends: list[datetime.date] = []
    if last < period.start:
        return ends
    for month in range(1, period.end.month + 1):
        following = datetime.date(period.year + (month == 12), month % 12 + 1, 1)
        end = min(following - datetime.timedelta(days=1), period.end)
        if end >= last:
            ends.append(last)
            break
        ends.append(end)
    return ends


def value_by(indicator: Indicator, period: Period) -> Decimal | None:
    """The value known by the period's end: an entered statistic's latest value as of then."""
    if indicator.kind == Indicator.Kind.ENTERED:
        latest = (
            IndicatorValue.objects.filter(
                indicator=indicator, year=period.year, organisation=None, as_of__lte=period.end
            )
            .order_by("-as_of", "-pk")
            .first()
        )
        return s.plain(latest.value) if latest else None
    return value_for(indicator, period)


def progress_chart(result: s.TargetResult, today: datetime.date | None = None) -> dict[str, Any]:
    """A target's month-by-month line: the actual value up to each month's end, and what the target asks
    for by then (pro rata for a cumulative figure, the target itself for a stock or ratio)."""
    period, indicator, target = result.figure.period, result.target.indicator, result.target.value
    ends = month_ends(period, today)
    days = (period.end - period.start).days + 1
    pro_rata = s.cumulative(indicator)
    actual, expected = [], []
    for end in ends:
        actual.append(_num(value_by(indicator, Period(period.start, end))))
        share = Decimal((end - period.start).days + 1) / days if pro_rata else Decimal(1)
        expected.append(float((target * share).quantize(Decimal("0.01"), ROUND_HALF_UP)))
    return {
        "type": "line",
        "categories": [f"{end.month}月" for end in ends],
        "series": [
            {"name": f"实际（{indicator.unit}）", "data": actual},
            {"name": "目标（按时间进度）" if pro_rata else "目标", "data": expected, "dashed": True},
        ],
    }
