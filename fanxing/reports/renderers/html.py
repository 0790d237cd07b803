"""The leaderboard as HTML: the portal's page (reports/leaderboard.html, with ECharts charts) and a standalone
file (reports/leaderboard_file.html: inline CSS, no script, links to the site) share one body template,
reports/_leaderboard_body.html. Figures carry data-key and data-value, so a reader can check them."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from fanxing.reports.renderers import common

CONTRACT_KINDS = [
    ("contracts.transfer_license.projects", "技术转让、许可"),
    ("contracts.cooperation.projects", "技术开发、服务等合作"),
]
VERDICT_CLASSES = {
    "met": "lb-met",
    "on_track": "lb-on-track",
    "at_risk": "lb-at-risk",
    "missed": "lb-missed",
    "no_data": "lb-no-data",
}


def charts(report: dict[str, Any]) -> dict[str, Any]:
    """The data of the page's charts: organisations by contract amount, fields by activity, contracts by
    kind (projects)."""
    organisations = report["rankings"]["organisations_by_amount"]
    fields = report["rankings"]["fields_by_activity"]
    by_key = {f["key"]: f for f in report["figures"]}
    return {
        "organisations": {
            "names": [row["name"] for row in organisations],
            "amounts": [row["amount"] for row in organisations],
        },
        "fields": {
            "names": [row["field"] for row in fields],
            "series": {
                label: [row[name] for row in fields]
                for name, label in (
                    ("achievements", "发布成果"),
                    ("demands", "发布需求"),
                    ("contracts", "签约合同"),
                )
            },
        },
        "contracts": [
            {"name": label, "value": by_key[key]["value"]}
            for key, label in CONTRACT_KINDS
            if key in by_key and by_key[key]["value"]
        ],
    }


def context(report: dict[str, Any], *, with_charts: bool, link_base: str = "") -> dict[str, Any]:
    """What the body template shows; `link_base` goes before the drill-down paths (the site's address in
    the standalone file)."""
    targets = common.target_rows(report)
    for row in targets:
        row["verdict_class"] = VERDICT_CLASSES.get(row["verdict"], "lb-no-data")
    return {
        "report": report,
        "groups": common.groups(report["figures"]),
        "rankings": common.rankings(report),
        "targets": targets,
        "organisations": common.organisations(report),
        "link_base": link_base,
        "charts": charts(report) if with_charts else None,
    }


def as_html(report: dict[str, Any]) -> bytes:
    """The standalone file: opens without the server."""
    found = context(report, with_charts=False, link_base=settings.FANXING_SITE_URL)
    return render_to_string("reports/leaderboard_file.html", found).encode()
