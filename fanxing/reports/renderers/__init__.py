"""The leaderboard (fanxing.reports.report.build) as a file: JSON, an HTML page, a PDF, a workbook."""

from collections.abc import Callable
from typing import Any

from fanxing.core.management.jsonout import dumps

FORMATS = ("json", "html", "pdf", "xlsx")


def as_json(report: dict[str, Any]) -> bytes:
    return dumps(report).encode()


def render(report: dict[str, Any], fmt: str) -> bytes:
    from fanxing.reports.renderers import html, pdf, xlsx

    renderers: dict[str, Callable[[dict[str, Any]], bytes]] = {
        "json": as_json,
        "html": html.as_html,
        "pdf": pdf.as_pdf,
        "xlsx": xlsx.as_xlsx,
    }
    if fmt not in renderers:
        raise ValueError(f"不支持的格式：{fmt}")
    return renderers[fmt](report)
