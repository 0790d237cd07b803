"""The year's leaderboard (成果榜单) as one structure: what `fanxing report` writes as JSON and what the HTML
page, the PDF and the workbook show (fanxing.reports.renderers). Every figure carries its key, label, value,
unit, the count of records behind it, last year's value over the same span and the change, and the path of
its drill-down."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from fanxing.core.models import Organisation, TechField
from fanxing.reports import formulas
from fanxing.reports import selectors as s
from fanxing.reports.formulas import CONVERSION_KINDS, INSTITUTION_KINDS, Period
from fanxing.reports.models import Comment, Leaderboard

DISTRICT = "崂山区"
RANKED = 10  # rows of each ranking


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: an integer when the value is whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def figure_out(figure: s.Figure, year: int) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "value": number(figure.value),
        "unit": figure.unit,
        "records": figure.records,
        "previous": number(figure.previous),
        "change": number(figure.change),
        "kind": figure.indicator.kind,
        "group": figure.indicator.group,
        "source": figure.source,
        "drilldown": reverse("reports:figure", args=[year, figure.key]),
    }


def leaderboard(year: int) -> dict[str, Any]:
    """The leaderboard as the portal shows it: as published (its snapshot), or computed now when the year is
    not published."""
    board = Leaderboard.objects.filter(year=year).only("snapshot").first()
    if board is not None and board.snapshot is not None:
        return dict(board.snapshot)
    return build(year)


def build(year: int, today: datetime.date | None = None) -> dict[str, Any]:
    """The leaderboard of a year."""
    board = Leaderboard.objects.filter(year=year).first()
    period = s.period_for(year)
    district = [figure_out(f, year) for f in s.figures(year)]
    return {
        "year": year,
        "title": str(board) if board else f"{year}年度科技成果榜单",
        "summary": board.summary if board else "",
        "district": DISTRICT,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "published_at": board.published_at.isoformat() if board and board.published_at else None,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "figures": district,
        "rankings": rankings(period),
        "targets": targets(year, today),
        "organisations": organisation_pages(period, year),
    }


def _contracts(period: Period) -> Any:
    """Every contract signed in the period (the formulas' rule), unordered for grouping."""
    return formulas.contracts()(period, None).order_by()


def rankings(period: Period) -> dict[str, list[dict[str, Any]]]:
    """Organisations by contract amount and by count, managers by deals, fields by activity."""
    rows = list(
        s.contracts_by_organisation(
            _contracts(period),
            conversions=Count("id", filter=Q(kind__in=CONVERSION_KINDS)),
            conversion_total=Sum("amount", filter=Q(kind__in=CONVERSION_KINDS)),
        )
    )
    for row in rows:
        row["key"] = s.organisation_key_of(row.pop("code"), row.pop("organisation"))
        for name in ("total", "conversion_total"):
            row[name.replace("total", "amount")] = number(
                (row.pop(name) or Decimal(0)).quantize(Decimal("0.01"))
            )
    by_amount = sorted(rows, key=lambda r: (-r["amount"], -r["projects"], r["name"]))[:RANKED]
    by_count = sorted(rows, key=lambda r: (-r["projects"], -r["amount"], r["name"]))[:RANKED]
    return {
        "organisations_by_amount": _ranked(by_amount),
        "organisations_by_count": _ranked(by_count),
        "managers_by_deals": _ranked(managers_by_deals(period)),
        "fields_by_activity": _ranked(fields_by_activity(period)),
    }


def _ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"rank": i, **row} for i, row in enumerate(rows, start=1)]


def managers_by_deals(period: Period) -> list[dict[str, Any]]:
    """Technology managers by the contracts signed in the period on their leads."""
    rows = (
        _contracts(period)
        .filter(lead__manager__isnull=False)
        .values(manager=F("lead__manager__display_name"), username=F("lead__manager__username"))
        .annotate(deals=Count("id"), total=Sum("amount"))
        .order_by("-deals", "-total", "username")[:RANKED]
    )
    return [
        {
            "manager": r["manager"] or r["username"],
            "deals": r["deals"],
            "amount": number(r["total"].quantize(Decimal("0.01"))),
        }
        for r in rows
    ]


def fields_by_activity(period: Period) -> list[dict[str, Any]]:
    """Technical fields (top level) by achievements and demands published and contracts signed in the period."""
    counts: dict[int, dict[str, int]] = {}
    for name, qs in (
        ("achievements", formulas.published("achievements.Achievement")(period, None).order_by()),
        ("demands", formulas.published("demands.Demand")(period, None).order_by()),
        ("contracts", _contracts(period).filter(achievements__isnull=False).distinct()),
    ):
        path = "field__parent" if name != "contracts" else "achievements__field__parent"
        for row in qs.values(top=F(path)).annotate(n=Count("id", distinct=True)):
            if row["top"] is not None:
                counts.setdefault(row["top"], {})[name] = row["n"]
    names = dict(TechField.objects.filter(pk__in=counts).values_list("pk", "name"))
    rows = [
        {
            "field": names[pk],
            "achievements": c.get("achievements", 0),
            "demands": c.get("demands", 0),
            "contracts": c.get("contracts", 0),
            "activity": sum(c.values()),
        }
        for pk, c in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r["activity"], r["field"]))[:RANKED]


def targets(year: int, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Each target of the year, its figure, the evaluation and the comments on it."""
    out = []
    comments = Comment.objects.filter(year=year).select_related("author")
    for result in s.target_results(year, today):
        target, found, evaluation = result.target, result.figure, result.evaluation
        out.append(
            {
                "key": found.key,
                "label": found.label,
                "unit": found.unit,
                "direction": target.direction,
                "target": number(s.plain(target.value)),
                "actual": number(found.value),
                "expected": number(evaluation.expected),
                "progress": number(evaluation.progress),
                "verdict": evaluation.verdict.value,
                "verdict_label": evaluation.verdict.label,
                "rule": evaluation.rule,
                "comments": [
                    {
                        "author": str(c.author),
                        "text": c.text,
                        "at": c.created_at.isoformat(timespec="minutes"),
                    }
                    for c in comments
                    if c.indicator_id == target.indicator_id and (c.target_id in (None, target.pk))
                ],
            }
        )
    return out


def organisations_reported(period: Period) -> list[Organisation]:
    """The organisations with a page: universities and institutes, and any organisation with a contract
    signed in the period."""
    signed = _contracts(period).values("organisation")
    return list(
        Organisation.objects.filter(Q(kind__in=INSTITUTION_KINDS) | Q(pk__in=signed)).order_by("name")
    )


def organisation_pages(period: Period, year: int) -> list[dict[str, Any]]:
    pages = []
    indicators = [i for i in s.indicator_list() if s.per_organisation(i)]
    for organisation in organisations_reported(period):
        found = s.figures(year, organisation, indicators)
        pages.append(
            {
                "key": s.organisation_key(organisation),
                "name": organisation.name,
                "kind": organisation.get_kind_display(),
                "figures": [figure_out(f, year) for f in found],
            }
        )
    return pages


def flat_figures(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every figure of the report (the district's and each organisation's) by key."""
    found = {f["key"]: f for f in report["figures"]}
    for page in report["organisations"]:
        found.update({f["key"]: f for f in page["figures"]})
    return found
