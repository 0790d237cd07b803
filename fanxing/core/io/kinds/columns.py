"""The pieces every kind is made of: a column (`Col`) ties a Chinese header to the model attributes it
sets, how a cell is read (`parse`) and written (`render`), and what the template says about it; a `Kind`
is a model's columns. Export writes exactly these columns and import reads them, so an exported file
imports back unchanged. Validation stays with the models and services; the columns only turn text into
values.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from fanxing.achievements.models import Patent
from fanxing.core.io import cells
from fanxing.core.io.cells import Lookups
from fanxing.core.tabular import Column, cell_text
from fanxing.core.workflow import Status, Visibility

Parse = Callable[[Any, Lookups], dict[str, Any]]
Render = Callable[[Any], Any]
# What a column may set besides model fields (contracts: the parties by role and the achievements).
EXTRAS = ("ways", "patents", "team", "sellers", "buyers", "intermediaries", "achievements")


@dataclass(frozen=True)
class Col:
    """One column of a kind: header, the attributes it sets, how to read and write a cell, an example."""

    column: Column
    attrs: tuple[str, ...]
    parse: Parse
    render: Render
    example: Any = ""  # a value, or a function of the template context

    @property
    def header(self) -> str:
        return self.column.header


@dataclass(frozen=True)
class Kind:
    """A kind of record that can be imported and exported."""

    name: str
    label: str
    model: type[models.Model]
    key: str  # the attribute that identifies a record in a file: "ref" or "name"
    cols: tuple[Col, ...]
    ref_prefix: str = ""

    @property
    def columns(self) -> list[Column]:
        return [c.column for c in self.cols]

    def header_for(self, attr: str) -> str:
        for col in self.cols:
            if attr in col.attrs:
                return col.header
        try:
            return str(self.model._meta.get_field(attr).verbose_name)
        except Exception:
            return ""

    def is_confidential(self, col: Col) -> bool:
        hidden = getattr(self.model, "CONFIDENTIAL_FIELDS", ())
        return any(attr in hidden for attr in col.attrs)

    @property
    def is_reviewed(self) -> bool:
        return self.key == "ref"


def _default(model: type[models.Model], attr: str) -> Any:
    field = model._meta.get_field(attr)
    return field.get_default() if field.has_default() else None


def text(
    header: str,
    attr: str,
    *,
    required: bool = False,
    help: str = "",
    example: Any = "",
    width: int = 16,
    upper: bool = False,
) -> Col:
    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        result = cell_text(value)
        return {attr: result.upper() if upper else result}

    return Col(
        Column(header, attr, required, help, width), (attr,), parse, lambda r: getattr(r, attr) or "", example
    )


def whole_number(
    header: str, model: type[models.Model], attr: str, *, required: bool, help: str, example: Any
) -> Col:
    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        number = cells.parse_int(value)
        return {attr: _default(model, attr) if number is None else number}

    return Col(Column(header, attr, required, help, 12), (attr,), parse, lambda r: getattr(r, attr), example)


def choice(
    header: str,
    attr: str,
    choices: type[models.TextChoices],
    *,
    required: bool = False,
    help: str,
    example: Any,
    keep_when_empty: bool = False,
) -> Col:
    """A choice written by its label. `keep_when_empty`: an empty cell keeps the current (or default) value."""

    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        code = cells.parse_choice(value, choices)
        if code is None:
            return {} if keep_when_empty else {attr: ""}
        return {attr: code}

    labels = "、".join(str(label) for _, label in choices.choices)
    return Col(
        Column(header, attr, required, f"{help}可选：{labels}。", 12),
        (attr,),
        parse,
        lambda r: getattr(r, f"get_{attr}_display")(),
        example,
    )


def amount_range(header: str, prefix: str, *, aliases: tuple[str, ...], help: str, example: Any) -> Col:
    attrs = (f"{prefix}_negotiable", f"{prefix}_min", f"{prefix}_max")

    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        return dict(zip(attrs, cells.parse_amount_range(value), strict=True))

    def render(record: Any) -> str:
        return cells.render_amount_range(*(getattr(record, a) for a in attrs))

    return Col(Column(header, prefix, False, help, 14, aliases), attrs, parse, render, example)


def ref_col(help: str) -> Col:
    return text("编号", "ref", help=help, width=18)


def organisation_col(help: str) -> Col:
    return Col(
        Column("所属机构", "organisation", True, help, 22),
        ("organisation",),
        lambda v, lookups: {"organisation": lookups.organisation(v)},
        lambda r: r.organisation.name,
        lambda ctx: ctx["organisation"],
    )


def field_col() -> Col:
    return Col(
        Column(
            "技术领域",
            "field",
            True,
            "写成“一级/二级”（如 海洋科学与工程/水产养殖与渔业）、二级名称或领域代码，见“技术领域”表。",
            26,
        ),
        ("field",),
        lambda v, lookups: {"field": lookups.field(v)},
        lambda r: cells.render_field(r.field),
        lambda ctx: ctx["field"],
    )


def ways_col(header: str) -> Col:
    return Col(
        Column(header, "ways", False, "可填多个，用顿号“、”或逗号分隔；可选值见下。", 18),
        ("ways",),
        lambda v, lookups: {"ways": lookups.ways_of(v)},
        lambda r: cells.render_ways(r.ways.all()),
        lambda ctx: ctx["ways"],
    )


def reviewed_tail(kind_label: str) -> tuple[Col, ...]:
    """Status, visibility and the (confidential) contact columns every reviewed record has."""
    return (
        choice(
            "状态",
            "status",
            Status,
            keep_when_empty=True,
            example="草稿",
            help="留空：新记录为草稿，已有记录保持不变。机构用户只能填草稿或待审核（提交审核），发布须经科技局审核。",
        ),
        choice(
            "可见范围",
            "visibility",
            Visibility,
            keep_when_empty=True,
            example="公开",
            help="留空：新记录为公开，已有记录保持不变。",
        ),
        text("联系人", "contact_name", example="张老师", help="保密字段：仅本机构、管理员和获准用户可见。"),
        text("联系电话", "contact_phone", example="0532-85950001", help="保密字段。"),
        text(
            "联系邮箱",
            "contact_email",
            example="contact@example.com",
            width=24,
            help="保密字段；须为有效邮箱。",
        ),
        text(
            "保密信息",
            "confidential_details",
            width=30,
            help=f"不公开的{kind_label}细节；仅本机构、管理员和获准用户可见。",
            example="细节面谈",
        ),
    )


def patents_col() -> Col:
    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        patents = cells.parse_patents(value, Patent.Kind, Patent.LegalStatus)
        for patent in patents:
            patent["legal_status"] = patent["legal_status"] or Patent.LegalStatus.PENDING
        return {"patents": patents}

    kinds = "、".join(str(label) for _, label in Patent.Kind.choices)
    statuses = "、".join(str(label) for _, label in Patent.LegalStatus.choices)
    help = (
        "每项写成“专利号|专利名称|类型|法律状态”，多项之间用分号“；”分隔。只有专利号必填："
        "专利号如 ZL201710601862.3（校验位会被核对），类型留空时按专利号判断，法律状态留空为审查中。"
        f"类型可选：{kinds}；法律状态可选：{statuses}。"
    )
    return Col(
        Column("专利", "patents", False, help, 40),
        ("patents",),
        parse,
        lambda r: cells.render_patents(r.patents.all()),
        "ZL201710601862.3|一种养殖尾水的微生物处理方法|发明专利|有效",
    )


def team_col() -> Col:
    return Col(
        Column(
            "团队成员",
            "team",
            False,
            "写成“姓名（职称，负责人）”，多人之间用顿号“、”分隔；职称和“负责人”可省略，如 张三（教授，负责人）、李四（副教授）、王五。",
            30,
        ),
        ("team",),
        lambda v, lookups: {"team": cells.parse_team(v)},
        lambda r: cells.render_team(r.team.all()),
        "张三（教授，负责人）、李四（副教授）",
    )
