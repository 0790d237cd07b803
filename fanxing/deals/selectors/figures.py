"""An organisation's conversion figures as reports state them, computed from its technology contracts.

The three groups of the district's report on a university (e.g. 青岛大学, 截至 11 月):

- 转化项目: 技术转让 and 技术许可 contracts (作价投资 is a flag on these, so included) signed from 1 January
  to `as_of`, their count and contract amount, and the growth of the amount over the same span a year
  earlier (同比, per cent to two places);
- 科技合作项目: 技术开发 and 技术服务 contracts signed in the same span;
- 十四五: 技术转让, 技术许可 and 作价投资 contracts signed from 2021-01-01 to 2025-12-31 (or to `as_of`,
  when earlier).

Amounts are contract amounts (合同金额, 万元), whether registered or not; 技术咨询 is in none of the groups.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from fanxing.core.models import Organisation
from fanxing.deals.models import ContractKind, TechContract

CENT = Decimal("0.01")
TRANSFER_KINDS = (ContractKind.TRANSFER, ContractKind.LICENCE)
COOPERATION_KINDS = (ContractKind.DEVELOPMENT, ContractKind.SERVICE)
FIVE_YEAR_PLAN = (date(2021, 1, 1), date(2025, 12, 31))  # 十四五


@dataclass(frozen=True)
class Window:
    """Contracts of these types signed from `start` to `end`, both included."""

    kinds: tuple[str, ...]
    start: date
    end: date


def windows(as_of: date) -> dict[str, Window]:
    """The spans of the figures, by name: this year to `as_of`, the same span last year, the five-year plan."""
    year_start = date(as_of.year, 1, 1)
    last_year_end = as_of.replace(year=as_of.year - 1, day=min(as_of.day, 28 if as_of.month == 2 else 31))
    return {
        "transfer": Window(TRANSFER_KINDS, year_start, as_of),
        "transfer_last_year": Window(TRANSFER_KINDS, year_start.replace(year=as_of.year - 1), last_year_end),
        "cooperation": Window(COOPERATION_KINDS, year_start, as_of),
        "five_year_plan": Window(TRANSFER_KINDS, FIVE_YEAR_PLAN[0], min(FIVE_YEAR_PLAN[1], as_of)),
    }


@dataclass(frozen=True)
class Group:
    """Contracts counted and their contract amount in 万元."""

    count: int
    amount: Decimal

    @property
    def amount_yi(self) -> Decimal:
        """The amount in 亿元, two places, as reports round it."""
        return (self.amount / 10000).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class ConversionFigures:
    """The figures of one organisation as of a date; `transfer_growth` is None without last year's amount."""

    as_of: date
    transfer: Group
    transfer_last_year: Group
    transfer_growth: Decimal | None
    cooperation: Group
    five_year_plan: Group


def group(organisation: Organisation, window: Window) -> Group:
    row = TechContract.objects.filter(
        organisation=organisation, kind__in=window.kinds, signed_on__range=(window.start, window.end)
    ).aggregate(n=Count("id"), total=Sum("amount"))
    return Group(row["n"], (row["total"] or Decimal(0)).quantize(CENT))


def growth(current: Decimal, previous: Decimal) -> Decimal | None:
    """Year-on-year growth in per cent, two places."""
    if not previous:
        return None
    return ((current / previous - 1) * 100).quantize(CENT, ROUND_HALF_UP)


def organisation_conversion_figures(
    organisation: Organisation, as_of: date = date(2025, 11, 30)
) -> ConversionFigures:
    """The report's figures of an organisation, computed from its contracts (see the module's docstring)."""
    groups = {name: group(organisation, window) for name, window in windows(as_of).items()}
    return ConversionFigures(
        as_of=as_of,
        transfer=groups["transfer"],
        transfer_last_year=groups["transfer_last_year"],
        transfer_growth=growth(groups["transfer"].amount, groups["transfer_last_year"].amount),
        cooperation=groups["cooperation"],
        five_year_plan=groups["five_year_plan"],
    )


def figures_line(figures: ConversionFigures) -> str:
    """The figures in one line of Chinese, as the report words them."""
    growth_text = (
        f"同比增长 {figures.transfer_growth}%" if figures.transfer_growth is not None else "上年同期无"
    )
    return (
        f"截至 {figures.as_of}：技术转让、许可 {figures.transfer.count} 项 {figures.transfer.amount} 万元"
        f"（{growth_text}），技术开发、服务 {figures.cooperation.count} 项 {figures.cooperation.amount_yi} 亿元；"
        f"十四五转让、许可、作价入股 {figures.five_year_plan.count} 项 {figures.five_year_plan.amount_yi} 亿元"
    )
