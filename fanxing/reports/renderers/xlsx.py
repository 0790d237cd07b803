"""The leaderboard as a workbook (openpyxl): sheets 指标 (the district's figures), 排名 (the four rankings one
below another), 目标评估, 机构 (the figures of each organisation the HTML page shows) and 说明 (title and
period). Numbers are written as numbers; a missing value is an empty cell."""

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fanxing.reports.renderers import common

HEADER_FILL = PatternFill("solid", fgColor="DCE6F5")
BOLD = Font(bold=True)
FORMULA_START = ("=", "+", "-", "@")

FIGURE_HEADERS = ["代码", "指标", "数值", "单位", "上年同期", "同比%", "记录数", "来源", "分组"]
TARGET_HEADERS = ["代码", "指标", "方向", "目标值", "实际值", "应达值", "进度%", "评估", "依据", "专家意见"]
ORGANISATION_HEADERS = ["机构", "代码", "指标", "数值", "单位", "上年同期", "同比%", "记录数"]


def _append(sheet: Worksheet, values: Sequence[Any], *, header: bool = False) -> None:
    """A row; text that would start a formula stays text."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
        if header:
            cell.font, cell.fill = BOLD, HEADER_FILL


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def figures_sheet(sheet: Worksheet, report: dict[str, Any]) -> None:
    _append(sheet, FIGURE_HEADERS, header=True)
    for f in report["figures"]:
        _append(
            sheet,
            [
                f["key"],
                f["label"],
                f["value"],
                f["unit"],
                f["previous"],
                f["change"],
                f["records"],
                f["source"],
                f["group"],
            ],
        )
    _widths(sheet, [36, 36, 14, 8, 14, 10, 10, 40, 12])
    sheet.freeze_panes = "A2"


def rankings_sheet(sheet: Worksheet, report: dict[str, Any]) -> None:
    for ranking, rows in common.rankings(report):
        if sheet.max_row > 1:
            _append(sheet, [])
        _append(sheet, [ranking.title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        _append(sheet, [heading for _, heading in ranking.columns], header=True)
        for row in rows:
            _append(sheet, row["cells"])
        if not rows:
            _append(sheet, ["暂无数据"])
    _widths(sheet, [8, 36, 16, 16, 16, 16])


def targets_sheet(sheet: Worksheet, report: dict[str, Any]) -> None:
    _append(sheet, TARGET_HEADERS, header=True)
    for t in common.target_rows(report):
        comments = "\n".join(f"{c['author']}（{c['at'][:10]}）：{c['text']}" for c in t["comments"])
        _append(
            sheet,
            [
                t["key"],
                t["label"],
                t["direction_label"],
                t["target"],
                t["actual"],
                t["expected"],
                t["progress"],
                t["verdict_label"],
                t["rule"],
                comments,
            ],
        )
    if not report["targets"]:
        _append(sheet, ["本年度尚未设定目标"])
    _widths(sheet, [32, 30, 8, 12, 12, 12, 10, 10, 48, 48])
    sheet.freeze_panes = "A2"


def organisations_sheet(sheet: Worksheet, report: dict[str, Any]) -> None:
    _append(sheet, ORGANISATION_HEADERS, header=True)
    for page in common.organisations(report):
        for f in page["figures"]:
            _append(
                sheet,
                [
                    page["name"],
                    f["key"],
                    f["label"],
                    f["value"],
                    f["unit"],
                    f["previous"],
                    f["change"],
                    f["records"],
                ],
            )
    _widths(sheet, [30, 32, 40, 14, 8, 14, 10, 10])
    sheet.freeze_panes = "A2"


def about_sheet(sheet: Worksheet, report: dict[str, Any]) -> None:
    period = report["period"]
    for name, value in (
        ("标题", report["title"]),
        ("地区", report["district"]),
        ("年度", report["year"]),
        ("统计期间", f"{period['start']} 至 {period['end']}"),
        ("发布时间", report["published_at"] or "未发布"),
        ("生成时间", report["generated_at"]),
        ("导语", report["summary"]),
    ):
        _append(sheet, [name, value])
        sheet.cell(sheet.max_row, 1).font = BOLD
    _widths(sheet, [12, 80])


def as_xlsx(report: dict[str, Any]) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "指标"
    figures_sheet(first, report)
    rankings_sheet(workbook.create_sheet("排名"), report)
    targets_sheet(workbook.create_sheet("目标评估"), report)
    organisations_sheet(workbook.create_sheet("机构"), report)
    about_sheet(workbook.create_sheet("说明"), report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
