"""The columns of each kind of record: achievements, demands, organisations.

A `Col` ties a Chinese header to the model attributes it sets, how a cell is read (`parse`) and written
(`render`), and what the template says about it. Export writes exactly these columns and import reads
them, so an exported file imports back unchanged. Validation stays with the models and services; the
columns only turn text into values.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from fanxing.achievements.models import Achievement, Patent
from fanxing.core.io import cells
from fanxing.core.io.cells import Lookups
from fanxing.core.models import Organisation
from fanxing.core.tabular import Column, cell_text
from fanxing.core.workflow import Status, Visibility
from fanxing.deals.models import CONTRACT_TYPES, ContractKind, ContractParty, ContractSubkind, TechContract
from fanxing.demands.models import Demand

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


def _ref(help: str) -> Col:
    return text("编号", "ref", help=help, width=18)


def _organisation(help: str) -> Col:
    return Col(
        Column("所属机构", "organisation", True, help, 22),
        ("organisation",),
        lambda v, lookups: {"organisation": lookups.organisation(v)},
        lambda r: r.organisation.name,
        lambda ctx: ctx["organisation"],
    )


def _field() -> Col:
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


def _ways(header: str) -> Col:
    return Col(
        Column(header, "ways", False, "可填多个，用顿号“、”或逗号分隔；可选值见下。", 18),
        ("ways",),
        lambda v, lookups: {"ways": lookups.ways_of(v)},
        lambda r: cells.render_ways(r.ways.all()),
        lambda ctx: ctx["ways"],
    )


def _reviewed_tail(kind_label: str) -> tuple[Col, ...]:
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


def _patents_col() -> Col:
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


def _team_col() -> Col:
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


PRICE_HELP = "单位万元：填一个数（如 80）、区间（如 50-120）或“面议”；留空为未填写。"

ACHIEVEMENTS = Kind(
    name="achievements",
    label="科技成果",
    model=Achievement,
    key="ref",
    ref_prefix="CG",
    cols=(
        _ref("留空则新建并自动生成编号；填写已有编号则更新该成果。同一文件中编号不能重复。"),
        text(
            "成果名称",
            "title",
            required=True,
            width=30,
            help="必填，不超过200字。",
            example="一种海水养殖尾水的微生物处理方法",
        ),
        text(
            "成果简介",
            "summary",
            required=True,
            width=40,
            help="必填，概述成果内容与用途。",
            example="利用复合功能菌群降解养殖尾水中的氨氮与亚硝酸盐，处理后达到排放标准。",
        ),
        text(
            "详细介绍",
            "description",
            width=40,
            help="可选：技术原理、指标、应用场景等。",
            example="已在对虾养殖场完成中试，日处理尾水 500 吨。",
        ),
        _field(),
        text(
            "关键词",
            "keywords",
            width=24,
            help="多个关键词用逗号或顿号分隔，不超过300字。",
            example="尾水处理，微生物，对虾养殖",
        ),
        whole_number(
            "技术就绪水平",
            Achievement,
            "trl",
            required=True,
            example=6,
            help="必填，1–9 的整数（TRL）：4–5 小试，6–7 中试，8 小批量生产，9 产业化。",
        ),
        _ways("转化方式"),
        amount_range(
            "价格（万元）",
            "price",
            aliases=("价格", "意向价格"),
            help=PRICE_HELP + "保密字段。",
            example="50-120",
        ),
        _organisation(
            "必填，机构全称或简称，须已在机构库登记；机构用户只能导入本机构的成果，留空即为本机构。"
        ),
        _patents_col(),
        _team_col(),
        *_reviewed_tail("成果"),
    ),
)

DEMANDS = Kind(
    name="demands",
    label="技术需求",
    model=Demand,
    key="ref",
    ref_prefix="XQ",
    cols=(
        _ref("留空则新建并自动生成编号；填写已有编号则更新该需求。同一文件中编号不能重复。"),
        text(
            "需求名称",
            "title",
            required=True,
            width=30,
            help="必填，不超过200字。",
            example="寻求对虾养殖尾水达标排放技术",
        ),
        text(
            "需解决的问题",
            "problem",
            required=True,
            width=40,
            help="必填，用企业自己的话说明要解决的问题。",
            example="我公司对虾养殖场尾水氨氮超标，需要低成本、易运维的处理工艺。",
        ),
        text(
            "期望效果",
            "wanted_effect",
            width=30,
            help="可选：希望达到的指标或效果。",
            example="出水氨氮低于 2 mg/L，吨水处理成本低于 1 元。",
        ),
        _field(),
        text("关键词", "keywords", width=24, help="多个关键词用逗号或顿号分隔。", example="尾水，氨氮"),
        whole_number(
            "最低技术就绪水平",
            Demand,
            "min_trl",
            required=False,
            example=5,
            help="1–9 的整数，留空为 1：希望成果至少达到的成熟度。",
        ),
        _ways("合作方式"),
        amount_range("预算（万元）", "budget", aliases=("预算",), help=PRICE_HELP, example="30-100"),
        Col(
            Column(
                "截止日期",
                "deadline",
                True,
                "必填，格式 YYYY-MM-DD（如 2026-12-31），也可填 Excel 日期。",
                14,
            ),
            ("deadline",),
            lambda v, lookups: {"deadline": cells.parse_date(v)},
            lambda r: r.deadline,
            lambda ctx: ctx["deadline"],
        ),
        _organisation("必填，发布需求的企业或机构全称或简称；机构用户只能导入本机构的需求，留空即为本机构。"),
        *_reviewed_tail("需求"),
    ),
)

ORGANISATIONS = Kind(
    name="organisations",
    label="机构",
    model=Organisation,
    key="name",
    cols=(
        text(
            "名称",
            "name",
            required=True,
            width=30,
            example="青岛示例海洋科技有限公司",
            help="必填，机构全称；与已有机构同名则更新该机构，否则新建（新建须科技局管理员）。",
        ),
        text("简称", "short_name", example="示例海洋", help="可选，不超过30字。"),
        choice("类型", "kind", Organisation.Kind, required=True, example="企业", help="必填。"),
        text(
            "统一社会信用代码",
            "uscc",
            upper=True,
            width=22,
            example="91370212MA3C12345T",
            help="可选；18位，最后一位校验位会被核对，不含 I、O、Z、S、V。",
        ),
        Col(
            Column("所在地区", "region", False, "写全称（如 山东省青岛市崂山区）、名称或6位区划代码。", 22),
            ("region",),
            lambda v, lookups: {"region": lookups.region(v)},
            lambda r: r.region.full_name if r.region_id else "",
            lambda ctx: ctx["region"],
        ),
        text("地址", "address", width=30, example="山东省青岛市崂山区科苑纬一路1号", help="可选。"),
        text(
            "网址",
            "website",
            width=24,
            example="https://www.example.com",
            help="可选，以 http:// 或 https:// 开头。",
        ),
        text("简介", "description", width=40, example="专注海洋生物技术研发与成果转化。", help="可选。"),
    ),
)


# Technology contracts (技术合同) -------------------------------------------------------------------------


def _amount_col(header: str, attr: str, *, required: bool, help: str, example: Any) -> Col:
    """An amount in 万元 (negative refused here; zero and the other rules are the model's)."""

    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        return {attr: cells.parse_amount(value)}

    def render(record: Any) -> str:
        value = getattr(record, attr)
        return "" if value is None else f"{value.normalize():f}"

    return Col(Column(header, attr, required, help, 14), (attr,), parse, render, example)


def _date_col(header: str, attr: str, *, help: str, example: Any = "") -> Col:
    return Col(
        Column(header, attr, False, f"{help}格式 YYYY-MM-DD，也可填 Excel 日期。", 14),
        (attr,),
        lambda v, lookups: {attr: cells.parse_date(v)},
        lambda r: getattr(r, attr),
        example,
    )


def _subkind_col() -> Col:
    def parse(value: Any, lookups: Lookups) -> dict[str, Any]:
        return {"subkind": cells.parse_subkind(value, CONTRACT_TYPES, ContractKind, ContractSubkind)}

    return Col(
        Column(
            "合同子类型",
            "subkind",
            False,
            "技术开发：委托开发、合作开发；技术转让：专利权、专利申请权、技术秘密、其他；技术许可：独占许可、"
            "排他许可、普通许可、技术秘密使用许可；技术服务：一般技术服务、技术培训、技术中介；技术咨询留空。"
            "也可写成“技术许可/普通许可”。",
            16,
        ),
        ("subkind",),
        parse,
        lambda r: r.get_subkind_display() if r.subkind else "",
        "普通许可",
    )


def _parties_col(header: str, attr: str, role: str, *, help: str, example: Any) -> Col:
    def render(record: Any) -> str:
        return cells.render_parties(p for p in record.parties.all() if p.role == role)

    return Col(
        Column(header, attr, False, help, 24),
        (attr,),
        lambda v, lookups: {attr: cells.parse_parties(v, lookups)},
        render,
        example,
    )


def _achievements_col() -> Col:
    return Col(
        Column("涉及成果编号", "achievements", False, "成果库中的成果编号，多个用顿号“、”分隔。", 22),
        ("achievements",),
        lambda v, lookups: {"achievements": cells.parse_achievement_refs(v)},
        lambda r: "、".join(sorted(a.ref for a in r.achievements.all())),
        "",
    )


PARTY_HELP = "机构库中的机构名称或简称（不在机构库的当事人直接写名称），多个用顿号“、”分隔。"

CONTRACTS = Kind(
    name="contracts",
    label="技术合同",
    model=TechContract,
    key="number",
    cols=(
        text(
            "合同编号",
            "number",
            required=True,
            width=18,
            example="QDU-2026-001",
            help="必填；与已有合同编号相同则更新该合同，否则新建。同一文件中编号不能重复。",
        ),
        text(
            "合同名称",
            "title",
            required=True,
            width=30,
            example="对虾养殖尾水处理技术专利实施许可",
            help="必填，不超过200字。",
        ),
        choice("合同类型", "kind", ContractKind, required=True, example="技术许可", help="必填。"),
        _subkind_col(),
        Col(
            Column(
                "作价投资", "equity", False, "填“是”或“否”，留空为否；只适用于技术转让、技术许可合同。", 10
            ),
            ("equity",),
            lambda v, lookups: {"equity": cells.parse_yes_no(v)},
            lambda r: "是" if r.equity else "否",
            "否",
        ),
        _amount_col(
            "股权比例",
            "equity_share",
            required=False,
            example="",
            help="作价投资时填写股权/出资比例（%），大于 0 且不超过 100。",
        ),
        _organisation(
            "必填，保存该合同的机构（转让、许可合同为卖方）；机构用户只能导入本机构的合同，留空即为本机构。"
        ),
        _parties_col(
            "卖方",
            "sellers",
            ContractParty.Role.SELLER,
            help=f"卖方/让与方：{PARTY_HELP}",
            example=lambda ctx: ctx["organisation"],
        ),
        _parties_col(
            "买方",
            "buyers",
            ContractParty.Role.BUYER,
            help=f"买方/受让方：{PARTY_HELP}",
            example="某水产养殖有限公司",
        ),
        _parties_col(
            "中介方", "intermediaries", ContractParty.Role.INTERMEDIARY, help=PARTY_HELP, example=""
        ),
        _amount_col("合同金额（万元）", "amount", required=True, example=120, help="必填，大于 0。"),
        _amount_col(
            "技术交易额（万元）",
            "certified_amount",
            required=False,
            example="",
            help="认定登记的技术交易额，不高于合同金额；已登记的合同必填。",
        ),
        _date_col(
            "签订日期", "signed_on", help="已签订的合同须有卖方和买方。", example=datetime.date(2026, 3, 2)
        ),
        _date_col("履行期限起", "term_start", help="可选。"),
        _date_col("履行期限止", "term_end", help="可选，不早于履行期限起。"),
        choice(
            "登记状态",
            "registration_status",
            TechContract.Registration,
            keep_when_empty=True,
            example="未登记",
            help="留空：新合同为未登记，已有合同保持不变。已登记的合同须填登记编号、登记日期和技术交易额。",
        ),
        text("登记编号", "registration_number", width=20, help="已登记的合同必填，不能与其他合同重复。"),
        _date_col("登记日期", "registered_on", help="已登记的合同必填，不早于签订日期。"),
        _achievements_col(),
    ),
)

KINDS: dict[str, Kind] = {k.name: k for k in (ACHIEVEMENTS, DEMANDS, ORGANISATIONS, CONTRACTS)}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"未知的类型“{name}”，应为：{'、'.join(KINDS)}") from None


def example_context(organisation: Organisation | None, lookups: Lookups) -> dict[str, Any]:
    """Values for the template's example row that exist in this database."""
    leaf = next((f for f in lookups.fields.values() if f.parent_id and f.code == "marine.fishery"), None)
    leaf = leaf or next((f for f in lookups.fields.values() if f.parent_id and f.active), None)
    organisation = organisation or next(iter(lookups.organisations.values()), None)
    region = lookups.regions.get("370212") or next(iter(lookups.regions.values()), None)
    return {
        "organisation": organisation.name if organisation else "",
        "field": cells.render_field(leaf),
        "ways": "、".join(w.name for w in lookups.ways[:2]),
        "deadline": timezone.localdate() + datetime.timedelta(days=180),
        "region": region.full_name if region else "",
    }
