"""Pages of the indicators and the leaderboard. Reads through the selectors, writes through the services;
who sees what is in fanxing.accounts.permissions."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from fanxing.accounts import permissions
from fanxing.core.io import table_response
from fanxing.core.tabular import Column
from fanxing.reports import files, report
from fanxing.reports import selectors as s
from fanxing.reports.drilldown import drilldown
from fanxing.reports.models import Indicator, Leaderboard
from fanxing.reports.renderers import FORMATS, html
from fanxing.reports.renderers import render as render_file

SECTION = "reports"

DRILL_COLUMNS = [
    Column("记录", "title", width=60),
    Column("机构", "organisation", width=30),
    Column("日期", "day", width=12),
    Column("金额（万元）", "amount", width=14),
]


def may_see_figure(request: HttpRequest, figure: s.Figure, year: int) -> bool:
    """A figure shows to the bureau and the experts; to everyone once its year's leaderboard is published;
    an organisation's figures also to its office."""
    user = request.user
    if permissions.can_view_indicators(user):
        return True
    if figure.organisation is not None and permissions.can_view_organisation_figures(
        user, figure.organisation.pk
    ):
        return True
    board = Leaderboard.objects.filter(year=year).first()
    return board is not None and permissions.can_view_leaderboard(user, board)


def figure(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """A figure and the records behind it: for a computed one exactly the records it counts (those the reader
    may not open are counted, not named); for an entered one its entries; for a ratio or growth its inputs."""
    found = s.figure_for_key(key, year)
    if found is None or not may_see_figure(request, found, year):
        raise Http404("没有这个指标")
    context = {"figure": found, "year": year, "section": SECTION, "entries": [], "drill": None}
    if found.indicator.kind == Indicator.Kind.COMPUTED:
        context["drill"] = drill = drilldown(
            request.user, s.records_of(found.indicator, found.period, found.organisation)
        )
        if request.GET.get("export") == "xlsx":
            rows = ([r.title, r.organisation, r.day, r.amount] for r in drill.rows)
            return table_response(f"{found.label}（{year}）", DRILL_COLUMNS, rows)
    elif found.indicator.kind == Indicator.Kind.ENTERED:
        context["entries"] = s.entered_values(found.indicator, year, found.organisation).select_related(
            "entered_by"
        )
    return render(request, "reports/figure.html", context)


CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def leaderboard_latest(request: HttpRequest) -> HttpResponse:
    """The latest published leaderboard; a page saying there is none yet (404) before the first."""
    board = s.latest_published_leaderboard()
    if board is None:
        return render(request, "reports/leaderboard_none.html", {"section": "leaderboard"}, status=404)
    return redirect("reports:leaderboard", board.year)


def leaderboard(request: HttpRequest, year: int) -> HttpResponse:
    """A year's leaderboard (成果榜单): public once published, before that for the bureau and the experts."""
    if not s.leaderboard_visible(request.user, year):
        raise Http404("没有这个年度的成果榜单")
    context = html.context(report.leaderboard(year), with_charts=True)
    context.update(section="leaderboard", years=s.leaderboard_years(request.user))
    return render(request, "reports/leaderboard.html", context)


def leaderboard_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The leaderboard as a file (json, html, pdf, xlsx), under the page's rule: a published year's file
    as rendered at its publication (fanxing.reports.files), else rendered now."""
    if fmt not in FORMATS or not s.leaderboard_visible(request.user, year):
        raise Http404("没有这个年度的成果榜单")
    filename = f"{year}年度科技成果榜单.{fmt}"
    board = Leaderboard.objects.filter(year=year).first()
    stored = None if board is None else files.stored(board, fmt)
    if stored is not None:
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
        )
    response = HttpResponse(render_file(report.leaderboard(year), fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
