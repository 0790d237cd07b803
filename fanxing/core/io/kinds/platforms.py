"""The columns of the innovation platform register (创新平台): name, level, type, host, years, status,
park, chain, technical fields, description. Types, parks and chains are written by name."""

import re
from typing import Any

from fanxing.core.io import cells
from fanxing.core.io.cells import CellError, Lookups
from fanxing.core.io.kinds.columns import Col, Kind, choice, text
from fanxing.core.tabular import Column, cell_text
from fanxing.platforms.models import IndustryChain, Park, Platform, PlatformType

FIELD_SPLIT_RE = re.compile(r"[、，,;；\n]+")


class PlatformLookups(Lookups):
    """The shared lookups and the register's own: platform types, parks and chains by name."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds = {t.name: t for t in PlatformType.objects.all()}
        self.parks = {p.name: p for p in Park.objects.all()}
        self.chains = {c.name: c for c in IndustryChain.objects.all()}


def _platform_lookups(lookups: Lookups) -> PlatformLookups:
    if not isinstance(lookups, PlatformLookups):  # a kind's cells are read by its importer only
        raise TypeError("创新平台的单元格须以 PlatformLookups 读取")
    return lookups


def _named(header: str, attr: str, table: str, noun: str, *, required: bool, help: str, example: Any) -> Col:
    """A column naming a record of a small list (平台类型, 园区, 产业链) exactly."""

    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        name = cell_text(value)
        if not name:
            return {attr: None}
        found = getattr(_platform_lookups(lookups), table)
        if name not in found:
            raise CellError(f"{noun}“{name}”不存在，可选：{'、'.join(found)}")
        return {attr: found[name]}

    return Col(
        Column(header, attr, required, help, 18),
        (attr,),
        parse,
        lambda r: getattr(r, attr).name if getattr(r, f"{attr}_id") else "",
        example,
    )


def _year(header: str, attr: str, *, required: bool, help: str, example: Any) -> Col:
    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        text = re.sub(r"年$", "", cell_text(value)) if not isinstance(value, int | float) else value
        try:
            number = cells.parse_int(text)
        except CellError as error:
            raise CellError(f"“{cell_text(value)}”不是年份，应填写四位年份，如 2024") from error
        return {attr: number}

    return Col(Column(header, attr, required, help, 10), (attr,), parse, lambda r: getattr(r, attr), example)


def _fields_col() -> Col:
    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        found: list[Any] = []
        for name in (n.strip() for n in FIELD_SPLIT_RE.split(cell_text(value))):
            if name:
                field = lookups.field(name)
                if field is not None and field not in found:
                    found.append(field)
        return {"fields": found}

    return Col(
        Column(
            "技术领域",
            "fields",
            False,
            "可填多个，用顿号“、”分隔；每项写一级领域名称（如 海洋生物医药）、“一级/二级”或领域代码。",
            24,
        ),
        ("fields",),
        parse,
        lambda r: "、".join(cells.render_field(f) for f in r.fields.all()),
        "海洋生物医药",
    )


PLATFORMS = Kind(
    name="platforms",
    label="创新平台",
    model=Platform,
    key="name",
    cols=(
        text(
            "平台名称",
            "name",
            required=True,
            width=34,
            example="青岛市海洋药物工程技术研究中心",
            help="必填；与已有平台同名则更新该平台，否则新建。同一文件中名称不能重复。",
        ),
        choice(
            "级别",
            "level",
            Platform.Level,
            required=True,
            example="市级",
            help="必填，写中文或代码（national 等）。",
        ),
        _named(
            "平台类型",
            "kind",
            "kinds",
            "平台类型",
            required=True,
            help="必填，平台类型名称，如 工程技术研究中心、重点实验室（类型表由科技局在后台维护）。",
            example="工程技术研究中心",
        ),
        Col(
            Column("依托单位", "host", True, "必填，机构全称或简称，须已在机构库登记。", 24),
            ("host",),
            lambda v, lookups: {"host": lookups.organisation(v)},
            lambda r: r.host.name,
            lambda ctx: ctx["organisation"],
        ),
        _year("认定年份", "recognised_year", required=True, help="必填，四位年份。", example=2024),
        choice(
            "状态",
            "status",
            Platform.Status,
            keep_when_empty=True,
            example="运行中",
            help="留空：新平台为运行中，已有平台保持不变。已撤销的平台须填撤销年份。",
        ),
        _year(
            "撤销年份", "revoked_year", required=False, help="已撤销的平台必填，不早于认定年份。", example=""
        ),
        _named(
            "所在园区", "park", "parks", "园区", required=False, help="可选，专业化园区名称。", example=""
        ),
        _named(
            "所属产业链", "chain", "chains", "产业链", required=False, help="可选，产业链名称。", example=""
        ),
        _fields_col(),
        text("简介", "description", width=40, help="可选。", example="面向海洋药物研发的工程化验证平台。"),
    ),
)
