"""The figures of indicators: a value for a year (and an organisation), the records behind it, last year's
value over the same span and the change. Every page, the API, the CLI and the report read figures here.

A figure's key is its indicator's code, or for an organisation's figure the code with its first part
replaced by the organisation's code (contracts.transfer_license.amount → qdu.transfer_license.amount)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from fanxing.accounts import permissions
from fanxing.core.models import Organisation
from fanxing.core.services import summed
from fanxing.core.workspace import Todo
from fanxing.reports import evaluation
from fanxing.reports.formulas import BY_CODE, Formula, Period
from fanxing.reports.models import Indicator, IndicatorValue, Leaderboard, Target


def period_for(year: int) -> Period:
    """1 January to the leaderboard's 统计截至 date, or to 31 December when the year has no leaderboard."""
    ends_on = Leaderboard.objects.filter(year=year).values_list("ends_on", flat=True).first()
    return Period(datetime.date(year, 1, 1), ends_on or datetime.date(year, 12, 31))


def figure_key(indicator: Indicator, organisation: Organisation | None) -> str:
    if organisation is None:
        return indicator.code
    return f"{organisation_key(organisation)}.{indicator.code.split('.', 1)[1]}"


def organisation_key(organisation: Organisation) -> str:
    return organisation_key_of(organisation.code, organisation.pk)


def organisation_key_of(code: str | None, pk: int) -> str:
    """An organisation's key in figure keys and anchors: its code (qdu), or org<id> for one without."""
    return code or f"org{pk}"


def contracts_by_organisation(contracts: QuerySet[Any], **more: Any) -> QuerySet[Any]:
    """Contracts grouped by their organisation: each row's organisation (id), name, code, projects (how
    many) and total (万元), with `more` annotations; unordered. The leaderboard's rankings and the
    dashboard's top organisations read it."""
    return (
        contracts.order_by()
        .values("organisation", name=F("organisation__name"), code=F("organisation__code"))
        .annotate(projects=Count("pk"), total=Sum("amount"), **more)
    )


def per_organisation(indicator: Indicator) -> bool:
    """Whether the indicator has a figure for each organisation (computed ones whose formula says so, and
    growths of those)."""
    if indicator.kind == Indicator.Kind.COMPUTED:
        found = BY_CODE.get(indicator.formula)
        return bool(found and found.per_organisation)
    if indicator.kind == Indicator.Kind.GROWTH and indicator.numerator is not None:
        return per_organisation(indicator.numerator)
    return False


@dataclass
class Figure:
    """An indicator's value for a year (and an organisation), traced to what it rests on."""

    key: str
    indicator: Indicator
    organisation: Organisation | None
    period: Period
    value: Decimal | None
    records: int  # the records counted: contracts, achievements, … (for an entered value, the entries)
    previous: Decimal | None = None  # over the same span a year earlier
    source: str = ""
    inputs: list["Figure"] = field(default_factory=list)

    @property
    def label(self) -> str:
        name = self.indicator.name
        if self.organisation is not None:
            return f"{self.organisation.short_name or self.organisation.name} {name}"
        return name

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def change(self) -> Decimal | None:
        """Year-on-year change in per cent, two places; None without last year's value (or for a growth)."""
        if self.indicator.kind == Indicator.Kind.GROWTH:
            return None
        return growth(self.value, self.previous)


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or not previous:
        return None
    return ((current / previous - 1) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """Without trailing zeros and never in exponent form (330.0000 → 330, not 3.3E+2)."""
    return Decimal(format(value.normalize(), "f"))


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


# Computed ---------------------------------------------------------------------------------------------------


def records_of(
    indicator: Indicator, period: Period, organisation: Organisation | None = None
) -> QuerySet[Any]:
    """The records a computed indicator counts: what its drill-down lists."""
    formula = BY_CODE[indicator.formula]
    return formula.records(formula.period(period), organisation)


def measured(formula: Formula, rows: QuerySet[Any]) -> Decimal:
    if formula.measure == "count":
        return Decimal(rows.count())
    return _round(summed(rows, formula.measure) / formula.divisor, formula.decimals)


def _computed(indicator: Indicator, period: Period, organisation: Organisation | None) -> Figure:
    formula = BY_CODE[indicator.formula]
    rows = formula.records(formula.period(period), organisation)
    previous = None
    if formula.window is None:
        previous = measured(formula, formula.records(period.a_year_earlier(), organisation))
    return Figure(
        figure_key(indicator, organisation),
        indicator,
        organisation,
        period,
        measured(formula, rows),
        rows.count(),
        previous,
        source="平台记录",
    )


# Entered ----------------------------------------------------------------------------------------------------


def entered_values(
    indicator: Indicator, year: int, organisation: Organisation | None = None
) -> QuerySet[Any]:
    """The values entered for a year, newest first: the first is the year's value."""
    return IndicatorValue.objects.filter(indicator=indicator, year=year, organisation=organisation).order_by(
        "-as_of", "-pk"
    )


def _entered(indicator: Indicator, period: Period, organisation: Organisation | None) -> Figure:
    latest = entered_values(indicator, period.year, organisation).first()
    before = entered_values(indicator, period.year - 1, organisation).first()
    return Figure(
        figure_key(indicator, organisation),
        indicator,
        organisation,
        period,
        plain(latest.value) if latest else None,
        1 if latest else 0,
        plain(before.value) if before else None,
        source=f"{latest.source}（截至 {latest.as_of}）" if latest else "未填报",
    )


# Ratio and growth -------------------------------------------------------------------------------------------


def _ratio(indicator: Indicator, period: Period, organisation: Organisation | None) -> Figure:
    assert indicator.numerator is not None and indicator.denominator is not None
    top = figure(indicator.numerator, period.year, organisation, period=period)
    bottom = figure(indicator.denominator, period.year, organisation, period=period)

    def divide(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        if a is None or not b:
            return None
        return _round(a / b * indicator.factor, indicator.decimals)

    return Figure(
        figure_key(indicator, organisation),
        indicator,
        organisation,
        period,
        divide(top.value, bottom.value),
        top.records + bottom.records,
        divide(top.previous, bottom.previous),
        source=f"{top.indicator.name} ÷ {bottom.indicator.name}",
        inputs=[top, bottom],
    )


def _growth(indicator: Indicator, period: Period, organisation: Organisation | None) -> Figure:
    assert indicator.numerator is not None
    base = figure(indicator.numerator, period.year, organisation, period=period)
    before = base.records
    if indicator.numerator.kind == Indicator.Kind.COMPUTED:
        before += records_of(indicator.numerator, period.a_year_earlier(), organisation).count()
    return Figure(
        figure_key(indicator, organisation),
        indicator,
        organisation,
        period,
        growth(base.value, base.previous),
        before,
        source=f"{base.indicator.name}与上年同期相比",
        inputs=[base],
    )


KINDS = {
    Indicator.Kind.COMPUTED: _computed,
    Indicator.Kind.ENTERED: _entered,
    Indicator.Kind.RATIO: _ratio,
    Indicator.Kind.GROWTH: _growth,
}


def figure(
    indicator: Indicator, year: int, organisation: Organisation | None = None, *, period: Period | None = None
) -> Figure:
    """The figure of an indicator for a year, the district's or an organisation's."""
    return KINDS[Indicator.Kind(indicator.kind)](indicator, period or period_for(year), organisation)


def figures(
    year: int, organisation: Organisation | None = None, indicators: Iterable[Indicator] | None = None
) -> list[Figure]:
    """Every indicator's figure for the year (for an organisation, those that exist per organisation)."""
    period = period_for(year)
    chosen = list(indicators) if indicators is not None else list(indicator_list())
    if organisation is not None:
        chosen = [i for i in chosen if per_organisation(i)]
    return [figure(i, year, organisation, period=period) for i in chosen]


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("numerator", "denominator").order_by("order", "code")


def figures_to(
    organisation: Organisation | None, as_of: datetime.date, codes: Iterable[str]
) -> dict[str, Figure]:
    """Figures from 1 January of `as_of`'s year to `as_of`, by indicator code (the demo states its figures
    this way before any leaderboard exists)."""
    period = Period(datetime.date(as_of.year, 1, 1), as_of)
    chosen = indicator_list().filter(code__in=list(codes))
    return {i.code: figure(i, as_of.year, organisation, period=period) for i in chosen}


def figure_for_key(key: str, year: int) -> Figure | None:
    """The figure a key names (an indicator's code, or an organisation's code and the rest of one), or None."""
    indicator = indicator_list().filter(code=key).first()
    if indicator is not None:
        return figure(indicator, year)
    prefix, _, rest = key.partition(".")
    organisation = _organisation_by_key(prefix)
    if organisation is None or not rest:
        return None
    for candidate in indicator_list().filter(code__endswith=f".{rest}"):
        if candidate.code.split(".", 1)[1] == rest and per_organisation(candidate):
            return figure(candidate, year, organisation)
    return None


def _organisation_by_key(prefix: str) -> Organisation | None:
    if prefix.startswith("org") and prefix[3:].isdigit():
        return Organisation.objects.filter(pk=int(prefix[3:]), code="").first()
    return Organisation.objects.filter(code=prefix).first() if prefix else None


# Evaluation -------------------------------------------------------------------------------------------------


def elapsed_share(period: Period, today: datetime.date | None = None) -> Decimal:
    """The share of the period gone by today: 1 once it is over."""
    today = today or timezone.localdate()
    if today >= period.end:
        return Decimal(1)
    if today < period.start:
        return Decimal(0)
    days = (period.end - period.start).days + 1
    return (Decimal((today - period.start).days + 1) / days).quantize(Decimal("0.0001"))


def cumulative(indicator: Indicator) -> bool:
    """Counted over the period (compared with the target pro rata during the year), not a stock or ratio."""
    if indicator.kind != Indicator.Kind.COMPUTED:
        return False
    found = BY_CODE.get(indicator.formula)
    return bool(found and not found.stock and found.window is None)


@dataclass
class TargetResult:
    target: Target
    figure: Figure
    evaluation: evaluation.Evaluation


def target_results(
    year: int, today: datetime.date | None = None, *, indicator: Indicator | None = None
) -> list[TargetResult]:
    """Each target of the year (of one indicator, if given) with the figure it is evaluated on and the
    evaluation."""
    period = period_for(year)
    share = elapsed_share(period, today)
    results = []
    targets = Target.objects.filter(
        year=year, **({"indicator": indicator} if indicator else {})
    ).select_related("indicator", "indicator__numerator", "indicator__denominator", "organisation")
    for target in targets:
        found = figure(target.indicator, year, target.organisation, period=period)
        verdict = evaluation.evaluate(
            target=plain(target.value),
            actual=found.value,
            at_most=target.direction == Target.Direction.AT_MOST,
            tolerance=target.tolerance,
            elapsed=share,
            cumulative=cumulative(target.indicator),
        )
        results.append(TargetResult(target, found, verdict))
    return results


# Leaderboards -----------------------------------------------------------------------------------------------


def latest_published_leaderboard() -> Leaderboard | None:
    return Leaderboard.objects.exclude(published_at=None).order_by("-year").first()


def leaderboard_visible(user: permissions.AnyUser, year: int) -> bool:
    """A year's leaderboard exists and this user may read it (published, or the bureau and the experts)."""
    board = Leaderboard.objects.filter(year=year).first()
    return board is not None and permissions.can_view_leaderboard(user, board)


def leaderboard_years(user: permissions.AnyUser) -> list[int]:
    """The years whose leaderboard this user may read, newest first."""
    return [
        b.year for b in Leaderboard.objects.order_by("-year") if permissions.can_view_leaderboard(user, b)
    ]


def todo(user: Any) -> list[Todo]:
    """The workspace's to-do for the bureau: this year's targets at risk or missed (目标执行 on the dashboard)."""
    if not permissions.can_manage_indicators(user):
        return []
    year = timezone.localdate().year
    behind = [
        r
        for r in target_results(year)
        if r.evaluation.verdict in (evaluation.Verdict.AT_RISK, evaluation.Verdict.MISSED)
    ]
    return [
        Todo(
            f"{year} 年进度落后或未完成的目标",
            len(behind),
            f"{reverse('reports:dashboard')}?year={year}#progress-title",
        )
    ]
