"""What the HTML page, the PDF and the workbook show alike: which organisations get a section, how a value and
a change read, the ranking tables' columns. One place, so the three formats show the same figures."""

from dataclasses import dataclass
from typing import Any

MISSING = "—"
DIRECTIONS = {"at_least": "不低于", "at_most": "不高于"}
KIND_ENTERED = "entered"


def value_text(value: int | float | None) -> str:
    """A figure's value as every format prints it: the JSON number as is, "—" without one."""
    return MISSING if value is None else str(value)


def change_text(change: int | float | None) -> str:
    """The year-on-year change: ↑ 30.36% / ↓ 5.2% / 持平, "—" without last year's value."""
    if change is None:
        return MISSING
    if change == 0:
        return "持平"
    return f"{'↑' if change > 0 else '↓'} {abs(change)}%"


def trend(change: int | float | None) -> str:
    if not change:
        return "flat"
    return "up" if change > 0 else "down"


def note(figure: dict[str, Any]) -> str:
    """ "未填报" for an entered statistic without a value yet."""
    return "未填报" if figure["value"] is None and figure["kind"] == KIND_ENTERED else ""


def shown(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure with its texts: value, change, trend, note."""
    return {
        **figure,
        "value_text": value_text(figure["value"]),
        "previous_text": value_text(figure["previous"]),
        "change_text": change_text(figure["change"]),
        "trend": trend(figure["change"]),
        "note": note(figure),
    }


def groups(figures: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The figures by their group, groups in the order they first appear."""
    found: dict[str, list[dict[str, Any]]] = {}
    for figure in figures:
        found.setdefault(figure["group"] or "其他", []).append(shown(figure))
    return list(found.items())


def organisations(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The organisations with a section: those with at least one figure other than zero."""
    return [
        {**page, "figures": [shown(f) for f in page["figures"]]}
        for page in report["organisations"]
        if any(f["value"] not in (None, 0) for f in page["figures"])
    ]


def target_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **t,
            "direction_label": DIRECTIONS.get(t["direction"], t["direction"]),
            "target_text": value_text(t["target"]),
            "actual_text": value_text(t["actual"]),
            "expected_text": value_text(t["expected"]),
            "progress_text": MISSING if t["progress"] is None else f"{t['progress']}%",
        }
        for t in report["targets"]
    ]


@dataclass(frozen=True)
class Ranking:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (field, heading)


RANKINGS = [
    Ranking(
        "organisations_by_amount",
        "机构技术合同金额排名",
        [
            ("rank", "名次"),
            ("name", "机构"),
            ("amount", "合同金额（万元）"),
            ("projects", "合同数（项）"),
            ("conversions", "转化项目（项）"),
            ("conversion_amount", "转化金额（万元）"),
        ],
    ),
    Ranking(
        "organisations_by_count",
        "机构技术合同数量排名",
        [
            ("rank", "名次"),
            ("name", "机构"),
            ("projects", "合同数（项）"),
            ("amount", "合同金额（万元）"),
            ("conversions", "转化项目（项）"),
            ("conversion_amount", "转化金额（万元）"),
        ],
    ),
    Ranking(
        "managers_by_deals",
        "技术经理人促成签约排名",
        [
            ("rank", "名次"),
            ("manager", "技术经理人"),
            ("deals", "促成签约（份）"),
            ("amount", "合同金额（万元）"),
        ],
    ),
    Ranking(
        "fields_by_activity",
        "技术领域活跃度排名",
        [
            ("rank", "名次"),
            ("field", "技术领域"),
            ("activity", "活跃度"),
            ("achievements", "发布成果"),
            ("demands", "发布需求"),
            ("contracts", "签约合同"),
        ],
    ),
]


def rankings(report: dict[str, Any]) -> list[tuple[Ranking, list[dict[str, Any]]]]:
    """Each ranking with its rows: the cells in the order of its columns, and the organisation's key."""
    return [
        (
            ranking,
            [
                {"cells": [row.get(name) for name, _ in ranking.columns], "key": row.get("key", "")}
                for row in report["rankings"].get(ranking.key, [])
            ],
        )
        for ranking in RANKINGS
    ]
