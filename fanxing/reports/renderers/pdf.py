"""The leaderboard as an A4 PDF (reportlab; Chinese in the built-in CID font STSong-Light, no font file):
title and period, every district figure with its key, the rankings with a bar chart of organisations by
contract amount and one of fields by activity, the targets with their verdicts, and a section for each
organisation the HTML page shows. The text is extractable (a figure's key, then its value)."""

import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from fanxing.reports.renderers import common

FONT = "STSong-Light"
BLUE = colors.HexColor("#1f4e99")
LINE = colors.HexColor("#c9d3e3")
HEAD = colors.HexColor("#dce6f5")
BAND = colors.HexColor("#f1f4f9")
WIDTH = A4[0] - 30 * mm
VERDICT_COLOURS = {
    "met": colors.HexColor("#17643a"),
    "on_track": colors.HexColor("#163a73"),
    "at_risk": colors.HexColor("#8a5a00"),
    "missed": colors.HexColor("#a12622"),
    "no_data": colors.HexColor("#495057"),
}


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, textColor=BLUE),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=9, leading=13, textColor=colors.grey),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=5),
        "h3": ParagraphStyle("h3", fontName=font, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=3),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=13),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=10.5),
        "small": ParagraphStyle("small", fontName=font, fontSize=7, leading=9, textColor=colors.grey),
    }


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(
    rows: list[list[Any]], widths: Sequence[float], *, numbers_from: int = 2, extra: Sequence[Any] = ()
) -> Table:
    """A table with a header row; columns from `numbers_from` on are right-aligned."""
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), _font()),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                *extra,
            ]
        )
    )
    return table


def _figure_rows(figures: list[dict[str, Any]], st: dict[str, ParagraphStyle]) -> list[list[Any]]:
    """指标, 代码, 数值, 同比, 记录数: the key just before the value, so both read together."""
    rows = []
    for f in figures:
        label = _esc(f["label"]) + (
            f' <font color="#a12622" size="7">{f["note"]}</font>' if f["note"] else ""
        )
        rows.append(
            [
                Paragraph(label, st["cell"]),
                f["key"],
                f"{f['value_text']} {f['unit']}".strip(),
                f["change_text"],
                str(f["records"]),
            ]
        )
    return rows


FIGURE_HEADER = ["指标", "代码", "数值", "同比", "记录数"]
FIGURE_WIDTHS = [64 * mm, 40 * mm, 32 * mm, 24 * mm, 20 * mm]
KEY_STYLE: list[tuple[Any, ...]] = [
    ("FONTSIZE", (1, 1), (1, -1), 7),
    ("TEXTCOLOR", (1, 1), (1, -1), colors.HexColor("#5b6478")),
]


def figures_section(report: dict[str, Any], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    rows: list[list[Any]] = [FIGURE_HEADER]
    bands = []
    for group, figures in common.groups(report["figures"]):
        bands.append(len(rows))
        rows.append([group, "", "", "", ""])
        rows.extend(_figure_rows(figures, st))
    extra: list[tuple[Any, ...]] = [*KEY_STYLE]
    for row in bands:
        extra += [
            ("SPAN", (0, row), (-1, row)),
            ("BACKGROUND", (0, row), (-1, row), BAND),
            ("ALIGN", (0, row), (-1, row), "LEFT"),
        ]
    return [Paragraph("主要指标", st["h2"]), _table(rows, FIGURE_WIDTHS, extra=extra)]


def bar_chart(title: str, names: list[str], values: list[float], unit: str) -> Drawing | None:
    """A horizontal bar chart, largest on top; None without data."""
    if not values:
        return None
    font = _font()
    height = 40 + 16 * len(values)
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 12, f"{title}（{unit}）", fontName=font, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 150, 12, WIDTH - 200, height - 36
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [n if len(n) <= 16 else n[:15] + "…" for n in reversed(names)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%s"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def charts_section(report: dict[str, Any]) -> list[Flowable]:
    organisations = report["rankings"]["organisations_by_amount"]
    fields = report["rankings"]["fields_by_activity"]
    found = [
        bar_chart(
            "机构技术合同金额",
            [r["name"] for r in organisations],
            [r["amount"] for r in organisations],
            "万元",
        ),
        bar_chart(
            "技术领域活跃度",
            [r["field"] for r in fields],
            [r["activity"] for r in fields],
            "成果、需求与合同数",
        ),
    ]
    out: list[Flowable] = []
    for drawing in found:
        if drawing is not None:
            out += [drawing, Spacer(1, 4 * mm)]
    return out


def rankings_section(report: dict[str, Any], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("排名", st["h2"]), *charts_section(report)]
    for ranking, rows in common.rankings(report):
        widths = [14 * mm, 62 * mm] + [(WIDTH - 76 * mm) / (len(ranking.columns) - 2)] * (
            len(ranking.columns) - 2
        )
        cells: list[list[Any]] = [[heading for _, heading in ranking.columns]]
        for row in rows:
            cells.append(
                [
                    common.value_text(c) if i != 1 else Paragraph(_esc(c), st["cell"])
                    for i, c in enumerate(row["cells"])
                ]
            )
        if not rows:
            cells.append(["暂无数据"] + [""] * (len(ranking.columns) - 1))
        out.append(
            KeepTogether(
                [
                    Paragraph(ranking.title, st["h3"]),
                    _table(cells, widths, extra=[("ALIGN", (0, 0), (0, -1), "CENTER")]),
                ]
            )
        )
    return out


def targets_section(report: dict[str, Any], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [Paragraph("目标评估", st["h2"])]
    found = common.target_rows(report)
    if not found:
        return out + [Paragraph("本年度尚未设定目标。", st["body"])]
    rows: list[list[Any]] = [["指标", "代码", "目标", "实际", "进度", "评估", "依据与专家意见"]]
    extra: list[tuple[Any, ...]] = []
    for i, t in enumerate(found, start=1):
        notes = _esc(t["rule"]) + "".join(
            f"<br/>{_esc(c['author'])}：{_esc(c['text'])}" for c in t["comments"]
        )
        rows.append(
            [
                Paragraph(_esc(t["label"]), st["cell"]),
                t["key"],
                f"{t['direction_label']} {t['target_text']}",
                t["actual_text"],
                t["progress_text"],
                t["verdict_label"],
                Paragraph(notes, st["small"]),
            ]
        )
        extra.append(("TEXTCOLOR", (5, i), (5, i), VERDICT_COLOURS.get(t["verdict"], colors.black)))
    widths = [34 * mm, 34 * mm, 20 * mm, 16 * mm, 14 * mm, 14 * mm, WIDTH - 132 * mm]
    extra += [*KEY_STYLE, ("ALIGN", (5, 0), (-1, -1), "LEFT")]
    return out + [_table(rows, widths, extra=extra)]


def organisations_section(report: dict[str, Any], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    pages = common.organisations(report)
    if not pages:
        return []
    out: list[Flowable] = [Paragraph("高校院所与签约机构", st["h2"])]
    for page in pages:
        rows = [FIGURE_HEADER, *_figure_rows(page["figures"], st)]
        title = Paragraph(
            f"{_esc(page['name'])} <font size='8' color='grey'>{_esc(page['kind'])}</font>", st["h3"]
        )
        out += [title, _table(rows, FIGURE_WIDTHS, extra=KEY_STYLE)]
    return out


def as_pdf(report: dict[str, Any]) -> bytes:
    st = _styles()
    period = report["period"]
    published = f"发布于 {report['published_at'][:10]}" if report["published_at"] else "未发布"
    story: list[Flowable] = [
        Paragraph(_esc(report["title"]), st["title"]),
        Paragraph(
            f"{report['district']}　｜　统计期间 {period['start']} 至 {period['end']}　｜　{published}　｜　"
            f"生成于 {report['generated_at'][:10]}",
            st["meta"],
        ),
    ]
    if report["summary"]:
        story += [Spacer(1, 3 * mm), Paragraph(_esc(report["summary"]).replace("\n", "<br/>"), st["body"])]
    story += figures_section(report, st)
    story += rankings_section(report, st)
    story += targets_section(report, st)
    story += organisations_section(report, st)

    def footer(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_font(), 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(15 * mm, 9 * mm, report["title"])
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=16 * mm,
        title=report["title"],
        author="繁星汇",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
