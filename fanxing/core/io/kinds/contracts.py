"""The columns of technology contracts (技术合同): type and sub-type from CONTRACT_TYPES, parties by role,
amounts, dates, registration and the achievements concerned."""

import datetime
from typing import Any

from fanxing.core.io import cells
from fanxing.core.io.cells import Lookups
from fanxing.core.io.kinds.columns import Col, Kind, choice, organisation_col, text
from fanxing.core.tabular import Column
from fanxing.deals.models import CONTRACT_TYPES, ContractKind, ContractParty, ContractSubkind, TechContract


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
        organisation_col(
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
